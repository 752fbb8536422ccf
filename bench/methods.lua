-- Micro-benchmark of the scoring methods, one at a time, on the benchmark's series shape (five
-- years 2021-2025, one value a year), inside the engine's sandbox:
--
--   build/tests/acvluatest bench/methods.lua          every method
--   build/tests/acvluatest bench/methods.lua escap_api one of them
--
-- Each case calls its method CALLS times and prints the microseconds per call (os.clock, CPU
-- time of the process). A full-size `score --all` makes about 20,000 areas x 86 indicators =
-- 1.7 million calls of the progress method and of the normalisation, so 1 us per call is ~1.7 s
-- of CPU. The results are checked against the worked examples in tests/lua, so a method that
-- got faster by computing something else shows here as an error, not as a speed-up.
local normalise = require("methods.normalise")
local progress = require("methods.progress")
local impute = require("methods.impute")
local derive = require("methods.derive")
local aggregate = require("methods.aggregate")

local CALLS = 20000

local function series(values, first_year)
  local out = {}
  for i, v in ipairs(values) do
    out[i] = { year = first_year + i - 1, period = tostring(first_year + i - 1), value = v }
  end
  return out
end

local S = series({ 50, 53, 55, 58, 60 }, 2021)

local function time(name, fn)
  local t0 = os.clock()
  for _ = 1, CALLS do
    fn()
  end
  local us = (os.clock() - t0) / CALLS * 1e6
  print(string.format("%-24s %7d calls %9.2f us/call", name, CALLS, us))
end

local function near(a, b, what)
  if type(a) ~= "number" or math.abs(a - b) > 1e-9 * (1 + math.abs(b)) then
    error(string.format("%s: got %s, expected %s", what, tostring(a), tostring(b)), 2)
  end
end

local T = {}

function T.minmax()
  near(normalise.minmax(60, 0, 80), 75, "minmax")
  time("normalise.minmax", function() return normalise.minmax(60, 0, 80) end)
end

function T.escap_api()
  -- tests/lua/progress_test.lua, example 4.2(b): predicted 75, gap 0.5
  local ex = series({ 50, 56, 60 }, 2015)
  ex[2].year, ex[3].year = 2018, 2021
  local r = progress.escap_api { series = ex, target = 100, direction = "higher" }
  near(r.predicted, 75.0, "escap_api predicted")
  time("progress.escap_api", function()
    return progress.escap_api { series = S, target = 100, direction = "higher", base_year = 2021 }
  end)
end

function T.escap_csi()
  -- example 4.2(a): (60 - 50) / |100 - 50| = 0.2
  local ex = series({ 50, 60 }, 2015)
  ex[2].year = 2020
  near(progress.escap_csi { series = ex, target = 100, direction = "higher" }.value, 0.2, "escap_csi")
  time("progress.escap_csi", function()
    return progress.escap_csi { series = S, target = 100, direction = "higher", base_year = 2021 }
  end)
end

function T.opensdg()
  time("progress.opensdg", function()
    return progress.opensdg { series = S, target = 100, direction = "higher", base_year = 2021 }
  end)
end

function T.sdsn_trend()
  time("progress.sdsn_trend", function()
    return progress.sdsn_trend { score_base = 40, year_base = 2021, score_latest = 55,
      year_latest = 2025, green = 80 }
  end)
end

function T.locf()
  local v = impute.locf(S, 2025)
  near(v, 60, "locf")
  time("impute.locf", function() return impute.locf(S, 2025) end)
end

function T.ratio()
  local den = series({ 1000, 1000, 1000, 1000, 1000 }, 2021)
  local out = derive.ratio(S, den, 100)
  near(out[5].value, 6, "ratio") -- 60 / 1000 x 100
  time("derive.ratio", function() return derive.ratio(S, den, 100) end)
end

function T.mean()
  local v = { 10, 20, 30, 40 }
  near(aggregate.mean(v), 25, "mean")
  time("aggregate.mean", function() return aggregate.mean(v) end)
end

return T
