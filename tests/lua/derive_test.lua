-- Worked examples for methods/derive.lua (numerator / denominator × factor, DHIS2 indicator types).
local check = require("helpers.check")
local derive = require("methods.derive")

local T = {}

function T.ratio_per_100000()
  -- disaster deaths per 100,000: deaths / population × 100000
  local deaths = {
    { year = 2021, value = 3, period = "2021" },
    { year = 2022, value = 0, period = "2022" },
    { year = 2023, value = 5, period = "2023" },
    { year = 2025, value = 2, period = "2025" },
  }
  local population = {
    { year = 2021, value = 600000 },
    { year = 2022, value = 612000 },
    { year = 2023, value = 0 },        -- a data-entry error
    { year = 2024, value = 630000 },
  }
  local out, problems = derive.ratio(deaths, population, 100000)
  -- 2021: 3/600000 × 100000 = 0.5; 2022: 0/612000 × 100000 = 0 (a real zero, kept)
  check.equal(#out, 2)
  check.equal(out[1].year, 2021)
  check.near(out[1].value, 0.5)
  check.equal(out[1].period, "2021")
  check.equal(out[2].year, 2022)
  check.equal(out[2].value, 0)
  -- 2023: denominator 0; 2024: no deaths recorded; 2025: no population
  check.equal(#problems, 3)
  check.equal(problems[1].year, 2023)
  check.equal(problems[1].reason, "denominator is 0")
  check.equal(problems[2].year, 2024)
  check.equal(problems[2].reason, "no numerator value for this year")
  check.equal(problems[3].year, 2025)
  check.equal(problems[3].reason, "no denominator value for this year")
end

function T.percentage()
  -- percentage, factor 100: 45 / 180 × 100 = 25
  local out, problems = derive.ratio({ { year = 2024, value = 45 } }, { { year = 2024, value = 180 } }, 100)
  check.near(out[1].value, 25)
  check.equal(#problems, 0)
end

function T.default_factor_1()
  -- default factor 1
  local out = derive.ratio({ { year = 2024, value = 3 } }, { { year = 2024, value = 4 } })
  check.near(out[1].value, 0.75)
end

function T.duplicates_and_non_numbers_reported()
  -- duplicated years and non-numeric values are reported, not guessed
  local out, problems = derive.ratio(
    { { year = 2020, value = 1 }, { year = 2020, value = 2 }, { year = 2021, value = "n/a" } },
    { { year = 2020, value = 10 }, { year = 2021, value = 10 } })
  check.equal(#out, 0)
  check.equal(problems[1].reason, "more than one numerator value")
  check.equal(problems[2].reason, "numerator is not a number")
end

function T.empty_inputs_and_bad_arguments()
  -- empty inputs: nothing, no problems
  local out, problems = derive.ratio({}, {})
  check.equal(#out, 0)
  check.equal(#problems, 0)
  check.fails("factor must be a number", derive.ratio, {}, {}, "100")
  check.fails("numerator must be a list", derive.ratio, nil, {})
end

return T
