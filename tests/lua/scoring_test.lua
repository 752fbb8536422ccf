-- The scoring entry point: latest value, contextual and not-applicable indicators, no data.
local check = require("helpers.check")
local scoring = require("scoring")

local series = {
  { period = "2023", year = 2023, value = 0.12 },
  { period = "2024", year = 2024, value = 0.3 },
  { period = "2025", year = 2025, value = 0.1 },
}
local ind = { id = "PS.DRR.1", direction = "lower", worst = 5, best = 0, series = series }

local T = {}

function T.latest_value_is_scored()
  local r = scoring.indicator(ind, 2025)
  check.equal(r.value, 0.1)
  check.equal(r.period, "2025")
  check.near(r.score, 98)
end

function T.no_data()
  local r = scoring.indicator({ id = "PS.DRR.1", direction = "lower", worst = 5, best = 0, series = {} },
    2025)
  check.is_nil(r.score)
  check.equal(r.note, "no data up to 2025")
end

function T.no_data_names_the_data_element()
  -- a derived indicator without its data elements: the note names the missing element as the
  -- framework does and the indicator that needs it; the code when the element has no name
  local derived = { id = "PS.SRL.2", direction = "higher", worst = 0, best = 100, series = {},
    formula = { numerator = "DE.SVY.FEEL_SAFE", numerator_name = "Residents who feel safe",
                denominator = "DE.SVY.RESPONDENTS", denominator_name = "Survey respondents",
                factor = 100 } }
  local r = scoring.indicator(derived, 2025)
  check.is_nil(r.score)
  check.equal(r.note, "no data for “Residents who feel safe”, needed by PS.SRL.2")
  -- the numerator is there, the denominator is not
  r = scoring.indicator(derived, 2025, { ["DE.SVY.FEEL_SAFE"] = series })
  check.equal(r.note, "no data for “Survey respondents”, needed by PS.SRL.2")
  derived.formula = { numerator = "DE.X", factor = 1 }
  r = scoring.indicator(derived, 2025)
  check.equal(r.note, "no data for “DE.X”, needed by PS.SRL.2")
end

function T.contextual_is_not_scored()
  local r = scoring.indicator({ id = "PS.CBS.2", direction = "contextual", series = series }, 2025)
  check.is_nil(r.score)
  check.equal(r.value, 0.1)
  check.equal(r.note, "contextual: reported, not scored")
end

function T.not_applicable()
  local r = scoring.indicator({ id = "EC.GBE.5", direction = "higher", worst = 0, best = 40,
    not_applicable = "no coastline", series = series }, 2025)
  check.is_nil(r.score)
  check.equal(r.note, "not applicable: no coastline")
end

function T.whole_area()
  -- a whole area: two indicators in one action area, one pillar
  local out = scoring.area({
    year = 2025,
    framework = { pillars = { { id = "PS", action_areas = {
      { id = "PS.DRR", indicators = { "PS.DRR.1", "PS.DRR.5" } } } } } },
    indicators = {
      ["PS.DRR.1"] = ind,
      ["PS.DRR.5"] = { id = "PS.DRR.5", direction = "higher", worst = 0, best = 100,
                       series = { { period = "2025", year = 2025, value = 90 } } },
    },
  })
  check.near(out.indicators["PS.DRR.5"].score, 90)
  check.near(out.action_areas["PS.DRR"].score, 94)
  check.near(out.pillars.PS.score, 94)
  check.near(out.overall.score, 94)
end

function T.check_helpers_fail_loudly()
  -- the check helpers themselves fail loudly
  check.fails("expected 2, got 1", check.equal, 1, 2)
  check.fails("within", check.near, 1, 2)
end

return T
