-- Worked examples for methods/units.lua: which linked imported series may feed a framework
-- indicator, converted how, and the note when none may.
local check = require("helpers.check")
local units = require("methods.units")
local scoring = require("scoring")

-- a unit table in the shape input.framework.units has (indicators/units.yml, shortened)
local TABLE = {
  units = {
    { code = "percent", name = "percent", aliases = { "%", "Percentage" } },
    { code = "share", name = "share (0 to 1)", aliases = { "proportion" } },
    { code = "count", name = "number", aliases = { "Total Number" } },
    { code = "per_1000", name = "per 1,000 population", aliases = { "Rate per 1,000" } },
    { code = "per_100000", name = "per 100,000 population",
      aliases = { "per 100,000", "Rate per 100.000" } },
  },
  conversions = {
    { from = "per_1000", to = "per_100000", factor = 100 },
    { from = "share", to = "percent", factor = 100 },
  },
}

local OPTIONS = { progress = "escap_api", imputation = "none", carry_forward_years = 3,
                  base_year = 2015, target_year = 2030, units = TABLE }

local function points(values)
  local s = {}
  for i, v in ipairs(values) do
    s[i] = { period = tostring(v[1]), year = v[1], value = v[2] }
  end
  return s
end

-- a homicide rate like PS.SRL.1: per 100,000, lower is better, worst 10, best 0
local function homicide_rate(linked)
  return { id = "PS.SRL.1", unit = "per 100,000", direction = "lower", worst = 10, best = 0,
           series = {}, linked = linked }
end

local T = {}

function T.unit_texts_are_normalised()
  check.equal(units.normalise("  Rate  per\t100,000 "), "rate per 100,000")
  check.is_nil(units.normalise("   "))
  check.is_nil(units.normalise(nil))
  local idx = units.index(TABLE)
  check.equal(units.code_of(idx, "RATE PER 100.000"), "per_100000")
  check.equal(units.code_of(idx, "per_1000"), "per_1000") -- a code names its unit too
  check.is_nil(units.code_of(idx, "Euros"))
end

function T.declared_conversions_apply_both_ways()
  local idx = units.index(TABLE)
  check.equal(units.factor(idx, "per_1000", "per_100000"), 100)
  -- the other way round: 1 / 100
  check.equal(units.factor(idx, "per_100000", "per_1000"), 0.01)
  check.equal(units.factor(idx, "percent", "percent"), 1)
  -- conversions do not chain, and none is declared between a count and a rate
  check.is_nil(units.factor(idx, "count", "per_100000"))
  check.is_nil(units.factor(idx, "share", "per_1000"))
end

function T.count_is_not_scored_as_a_rate()
  -- 255 homicides (a count) would have scored min-max 100 × (255 − 10)/(0 − 10) → 0 as a rate
  local ind = homicide_rate({ { code = "SDG:16.1.1", unit = "Total Number",
                                series = points({ { 2022, 250 }, { 2023, 255 } }) } })
  local r = scoring.indicator(ind, 2023, {}, OPTIONS)
  check.is_nil(r.score)
  check.is_nil(r.value)
  check.is_nil(r.class)
  check.equal(r.note, "not comparable: unit count, expected per_100000 (imported series SDG:16.1.1)")
end

function T.per_1000_is_converted_to_per_100000_and_scored()
  -- 0.04 and 0.05 per 1,000 are 4 and 5 per 100,000 (× 100); the 2023 value 5 scores
  -- 100 × (5 − 10)/(0 − 10) = 50
  local ind = homicide_rate({ { code = "SDG:16.1.1", unit = "Rate per 1,000",
                                series = points({ { 2022, 0.04 }, { 2023, 0.05 } }) } })
  local r = scoring.indicator(ind, 2023, {}, OPTIONS)
  check.near(r.value, 5)
  check.near(r.score, 50)
  check.equal(r.period, "2023")
  -- the progress method adds that the series starts after the 2015 base year
  check.equal(r.note, "from the imported series SDG:16.1.1, unit per_1000 converted to "
    .. "per_100000 (× 100); no value for 2015; base year 2022 used")
  check.near(ind.series[1].value, 4)
end

function T.share_is_converted_to_percent()
  -- a share of 0.456 is 45.6%; higher is better, worst 0, best 100: score 45.6
  local ind = { id = "SC.EDU.1", unit = "%", direction = "higher", worst = 0, best = 100,
                series = {}, linked = { { code = "SDG:4.2.2", unit = "proportion",
                                          series = points({ { 2024, 0.456 } }) } } }
  local r = scoring.indicator(ind, 2024, {}, OPTIONS)
  check.near(r.value, 45.6)
  check.near(r.score, 45.6)
  check.equal(r.note, "from the imported series SDG:4.2.2, unit share converted to percent (× 100)")
end

function T.same_unit_feeds_without_conversion()
  -- "Percentage" is percent: 59 of worst 0, best 100 scores 59, and the note names no conversion
  local ind = { id = "SC.INC.2", unit = "%", direction = "higher", worst = 0, best = 100,
                series = {}, linked = { { code = "SDG:1.1.1", unit = "Percentage",
                                          series = points({ { 2016, 59 } }) } } }
  local r = scoring.indicator(ind, 2016, {}, OPTIONS)
  check.equal(r.value, 59)
  check.near(r.score, 59)
  check.equal(r.note, "from the imported series SDG:1.1.1")
end

function T.a_total_in_euros_is_not_a_percentage()
  -- a total budget of 10.71e9 would have scored 100 as a percentage (clamped)
  local ind = { id = "EC.FIN.1", unit = "%", direction = "higher", worst = 0, best = 100,
                series = {}, linked = { { code = "SDG:17.1.2", unit = "Euros",
                                          series = points({ { 2023, 10.71e9 } }) } } }
  local r = scoring.indicator(ind, 2023, {}, OPTIONS)
  check.is_nil(r.score)
  check.equal(r.note, 'not comparable: unit "Euros", expected percent (imported series SDG:17.1.2)')
end

function T.a_series_without_unit_feeds_no_indicator_with_one()
  -- a template placeholder file (Year,Group,Value with value 2) has no unit
  local ind = homicide_rate({ { code = "SDG:16.1.1", series = points({ { 2023, 2 } }) } })
  local r = scoring.indicator(ind, 2023, {}, OPTIONS)
  check.is_nil(r.score)
  check.equal(r.note, "not comparable: unit unknown, expected per_100000 (imported series SDG:16.1.1)")
  ind = homicide_rate({ { code = "SDG:16.1.1", unit = " ", series = points({ { 2023, 2 } }) } })
  check.equal(scoring.indicator(ind, 2023, {}, OPTIONS).note,
    "not comparable: unit unknown, expected per_100000 (imported series SDG:16.1.1)")
end

function T.the_first_comparable_linked_series_feeds()
  -- the first linked series is a count; the second, per 100,000, feeds: 2.5 scores
  -- 100 × (2.5 − 10)/(0 − 10) = 75
  local ind = homicide_rate({
    { code = "SDG:16.1.1", unit = "Total Number", series = points({ { 2023, 255 } }) },
    { code = "SDG:16.1.3", unit = "per_100000", series = points({ { 2023, 2.5 } }) },
  })
  local r = scoring.indicator(ind, 2023, {}, OPTIONS)
  check.near(r.score, 75)
  check.equal(r.note, "from the imported series SDG:16.1.3")
  -- none comparable: the first one's reason, and how many more
  ind = homicide_rate({
    { code = "SDG:16.1.1", unit = "Total Number", series = points({ { 2023, 255 } }) },
    { code = "SDG:16.1.3", unit = "Euros", series = points({ { 2023, 2.5 } }) },
  })
  check.equal(scoring.indicator(ind, 2023, {}, OPTIONS).note,
    "not comparable: unit count, expected per_100000 (imported series SDG:16.1.1); 1 more "
      .. "linked series not comparable either")
end

function T.own_data_is_scored_as_before()
  -- own observations win: the linked series is not looked at (0.1 of worst 5, best 0: 98)
  local ind = { id = "PS.DRR.1", unit = "per 100,000", direction = "lower", worst = 5, best = 0,
                series = points({ { 2025, 0.1 } }),
                linked = { { code = "SDG:11.5.1", unit = "Total Number",
                             series = points({ { 2025, 400 } }) } } }
  local r = scoring.indicator(ind, 2025, {}, OPTIONS)
  check.near(r.score, 98)
  check.is_nil(r.note)
end

function T.declared_unit_code_wins_over_the_unit_text()
  -- the indicator's text is not in the table, its unit_code is: a per 1,000 series converts
  local ind = { id = "XX.AA.1", unit = "victims per 100k residents", unit_code = "per_100000",
                direction = "lower", worst = 10, best = 0, series = {},
                linked = { { code = "SDG:16.1.1", unit = "per_1000",
                             series = points({ { 2023, 0.02 } }) } } }
  -- 0.02 × 100 = 2 per 100,000: 100 × (2 − 10)/(0 − 10) = 80
  check.near(scoring.indicator(ind, 2023, {}, OPTIONS).score, 80)
end

function T.indicator_unit_outside_the_table_takes_only_the_same_text()
  local function ind(unit)
    return { id = "PS.GOV.4", unit = "score 0–100", direction = "higher", worst = 0, best = 100,
             series = {}, linked = { { code = "SDG:11.3.2", unit = unit,
                                       series = points({ { 2023, 40 } }) } } }
  end
  check.near(scoring.indicator(ind(" Score 0–100"), 2023, {}, OPTIONS).score, 40)
  check.equal(scoring.indicator(ind("Total Number"), 2023, {}, OPTIONS).note,
    'not comparable: unit count, expected "score 0–100" (imported series SDG:11.3.2)')
end

function T.no_unit_table_compares_texts_only()
  -- a framework without units: only the indicator's own unit text feeds it
  local ind = homicide_rate({ { code = "SDG:16.1.1", unit = "Per 100,000",
                                series = points({ { 2023, 5 } }) } })
  local o = { progress = "escap_api", imputation = "none", carry_forward_years = 3,
              base_year = 2015, target_year = 2030 }
  check.near(scoring.indicator(ind, 2023, {}, o).score, 50)
  ind = homicide_rate({ { code = "SDG:16.1.1", unit = "Rate per 1,000",
                          series = points({ { 2023, 0.05 } }) } })
  check.equal(scoring.indicator(ind, 2023, {}, o).note,
    'not comparable: unit "Rate per 1,000", expected "per 100,000" (imported series SDG:16.1.1)')
end

return T
