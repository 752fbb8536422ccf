-- The scoring entry point: latest value, contextual indicators, no data.
local check = require("helpers.check")
local scoring = require("scoring")

local ind = { id = "PS.DRR.1", direction = "lower", worst = 5, best = 0 }
local series = {
  { period = "2023", year = 2023, value = 0.12 },
  { period = "2024", year = 2024, value = 0.3 },
  { period = "2025", year = 2025, value = 0.1 },
}
local r = scoring.indicator(ind, series, 2025)
check.equal(r.value, 0.1)
check.equal(r.period, "2025")
check.near(r.score, 98)

r = scoring.indicator(ind, {}, 2025)
check.is_nil(r.score)
check.equal(r.note, "no data up to 2025")

r = scoring.indicator({ id = "PS.CBS.2", direction = "contextual" }, series, 2025)
check.is_nil(r.score)
check.equal(r.value, 0.1)
check.equal(r.note, "contextual: reported, not scored")

-- the check helpers themselves fail loudly
check.fails("expected 2, got 1", check.equal, 1, 2)
check.fails("within", check.near, 1, 2)
