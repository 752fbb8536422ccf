-- Worked examples for methods/progress.lua. Examples (a)-(d) are progress-formulas.md §4.2 (derived,
-- not published); the Open SDG examples are computed by hand below, step by step.
local check = require("helpers.check")
local progress = require("methods.progress")

local function series(pairs_)
  local out = {}
  for i = 1, #pairs_, 2 do
    out[#out + 1] = { year = pairs_[i], value = pairs_[i + 1] }
  end
  return out
end

----------------------------------------------------------------------------------------------------
-- ESCAP Current Status Index, example 4.2(a) (the reference's scale 10 = CS × 10)
----------------------------------------------------------------------------------------------------

local T = {}

function T.escap_csi_increase()
  -- progress, increase: I0 = 50, Icv = 60, TV = 100: CS = (60 − 50)/|100 − 50| = 0.2 (scale 10: 2.0)
  local r = progress.escap_csi { series = series { 2015, 50, 2020, 60 }, target = 100,
    direction = "higher" }
  check.near(r.value, 0.2)
  check.near(r.value * 10, 2.0)
  -- expected share by 2020: (2020 − 2015)/(2030 − 2015) = 1/3 > 0.2 -> progressing slowly
  check.near(r.expected, 1 / 3)
  check.equal(r.class, "progressing_slowly")
  check.equal(r.base_year_used, 2015)
  check.is_nil(r.note)
end

function T.escap_csi_decrease()
  -- progress, decrease: I0 = 40, Icv = 35, TV = 20: CS = −1 × (35 − 40)/|20 − 40| = 5/20 = 0.25 (2.5)
  local r = progress.escap_csi { series = series { 2015, 40, 2018, 35 }, target = 20, direction = "lower" }
  check.near(r.value * 10, 2.5)
  -- expected by 2018: 3/15 = 0.2 <= 0.25 -> on track
  check.near(r.expected, 0.2)
  check.equal(r.class, "on_track")
end

function T.escap_csi_target_passed()
  -- target passed: I0 = 50, Icv = 105, TV = 100 -> capped at 1 (10)
  local r = progress.escap_csi { series = series { 2015, 50, 2022, 105 }, target = 100, direction = "higher" }
  check.equal(r.value, 1)
  check.equal(r.class, "target_achieved")
end

function T.escap_csi_regression()
  -- regression: I0 = 50, Icv = 45, TV = 100: (45 − 50)/50 = −0.1 (−1.0)
  local r = progress.escap_csi { series = series { 2015, 50, 2020, 45 }, target = 100, direction = "higher" }
  check.near(r.value * 10, -1.0)
  check.equal(r.class, "regressing")
end

function T.escap_csi_base_year_missing()
  -- base year missing: first later year (2017) is used and reported; t0 = 2017
  -- CS = (70 − 60)/(100 − 60) = 0.25; expected = (2021 − 2017)/(2030 − 2017) = 4/13 = 0.3077
  local r = progress.escap_csi { series = series { 2012, 55, 2017, 60, 2021, 70 }, target = 100,
    direction = "higher" }
  check.equal(r.base_year_used, 2017)
  check.near(r.value, 0.25)
  check.near(r.expected, 4 / 13)
  check.equal(r.note, "no value for 2015; base year 2017 used")
end

function T.escap_csi_current_year()
  -- current_year cuts later observations off; expected_at = "current" measures t at the current year
  local r = progress.escap_csi { series = series { 2015, 50, 2020, 60, 2024, 90 }, target = 100,
    direction = "higher", current_year = 2021 }
  check.near(r.value, 0.2)
  check.equal(r.latest_year, 2020)
  r = progress.escap_csi { series = series { 2015, 50, 2020, 60 }, target = 100, direction = "higher",
    current_year = 2025, expected_at = "current" }
  check.near(r.expected, 10 / 15)
end

function T.escap_csi_base_past_target()
  -- base value already past the target, latest fell below it: regressing, not "progress"
  -- CS = (95 − 110)/|100 − 110| = −1.5
  local r = progress.escap_csi { series = series { 2015, 110, 2020, 95 }, target = 100, direction = "higher" }
  check.near(r.value, -1.5)
  check.equal(r.class, "regressing")
end

function T.escap_csi_insufficient_data()
  -- insufficient data, with reasons
  local r = progress.escap_csi { series = series { 2015, 50 }, target = 100, direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note, "only one observation since 2015; a later one is needed")
  r = progress.escap_csi { series = series { 2015, 50, 2020, 60 }, direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note, "no target value")
  r = progress.escap_csi { series = series { 2010, 50, 2012, 60 }, target = 100, direction = "higher" }
  check.equal(r.note, "no observation in or after 2015")
  r = progress.escap_csi { series = series { 2015, 50, 2020, 60 }, target = 100,
    direction = "contextual" }
  check.equal(r.class, "insufficient_data")
  check.fails("direction must be 'higher' or 'lower'", progress.escap_csi,
    { series = {}, target = 1, direction = "up" })
end

----------------------------------------------------------------------------------------------------
-- ESCAP Anticipated Progress Index, example 4.2(b)
----------------------------------------------------------------------------------------------------

function T.escap_api_example_b()
  -- years 2015/2018/2021, T = 2030: w = 15/15, 15/12, 15/9 = 1, 1.25, 1.6667; values 50/56/60
  -- W = 3.916667; t̄ − 2015 = (0 + 3·1.25 + 6·1.6667)/W = 13.75/W = 3.510638; x̄ = 220/W = 56.170213
  -- Sxy = 37.659574, Sxx = 22.978723 -> slope = 1.638889; X̂(2030) = x̄ + slope·(15 − 3.510638) = 75.0
  -- gap = (100 − 75)/(100 − 50) = 0.5 -> accelerate
  local r = progress.escap_api { series = series { 2015, 50, 2018, 56, 2021, 60 }, target = 100,
    direction = "higher" }
  check.near(r.slope, 1.638889, 1e-6)
  check.near(r.predicted, 75.0, 1e-9)
  check.near(r.gap, 0.5, 1e-9)
  check.near(r.ap, 0.5, 1e-9)
  check.equal(r.class, "accelerate")
  check.equal(r.n, 3)
end

function T.escap_gap_example_c()
  -- example 4.2(c), the gap classification itself (X_2015 = 50, TV = 100)
  local g = progress.escap_gap(80, 50, 100, "higher")
  check.near(g.gap, 0.4)           -- (100 − 80)/50
  check.equal(g.class, "accelerate")
  g = progress.escap_gap(45, 50, 100, "higher")
  check.near(g.gap, 1.1)           -- (100 − 45)/50
  check.equal(g.class, "reverse")
  g = progress.escap_gap(101, 50, 100, "higher")
  check.near(g.gap, -0.02)         -- (100 − 101)/50
  check.equal(g.class, "maintain")
end

function T.escap_api_gap_classes()
  -- and the same three through the regression: two points give the exact line
  -- 2015 50, 2020 60: slope 2 -> 2030: 80
  local r = progress.escap_api { series = series { 2015, 50, 2020, 60 }, target = 100, direction = "higher" }
  check.near(r.predicted, 80)
  check.near(r.gap, 0.4)
  check.equal(r.class, "accelerate")
  -- 2015 50, 2018 49: slope −1/3 -> 2030: 50 − 5 = 45
  r = progress.escap_api { series = series { 2015, 50, 2018, 49 }, target = 100, direction = "higher" }
  check.near(r.predicted, 45)
  check.near(r.gap, 1.1)
  check.equal(r.class, "reverse")
  -- 2015 50, 2020 67: slope 3.4 -> 2030: 50 + 51 = 101
  r = progress.escap_api { series = series { 2015, 50, 2020, 67 }, target = 100, direction = "higher" }
  check.near(r.predicted, 101)
  check.near(r.gap, -0.02)
  check.equal(r.class, "maintain")
  -- lower is better, same form: X0 = 40, TV = 20; 2015 40, 2020 35 -> slope −1 -> 2030: 25
  -- gap = (20 − 25)/(20 − 40) = 0.25 -> accelerate
  r = progress.escap_api { series = series { 2015, 40, 2020, 35 }, target = 20, direction = "lower" }
  check.near(r.predicted, 25)
  check.near(r.gap, 0.25)
  check.equal(r.class, "accelerate")
end

function T.escap_api_target_achieved()
  -- higher is better, target 60: 2019 50, 2022 58, 2025 62. The latest value 62 ≥ 60, so the
  -- class is target_achieved, not maintain; the projection is still given: w = 11/11, 11/8, 11/5
  -- = 1, 1.375, 2.2; W = 4.575; t̄ − 2019 = (3·1.375 + 6·2.2)/W = 17.325/4.575 = 3.786885;
  -- x̄ = (50 + 79.75 + 136.4)/W = 266.15/4.575 = 58.174863; Sxy = 1·(−3.786885)(−8.174863) +
  -- 1.375·(−0.786885)(−0.174863) + 2.2·(2.213115)(3.825137) = 30.957 + 0.189 + 18.624 = 49.770,
  -- Sxx = 14.340 + 0.851 + 10.775 = 25.967 -> slope 1.91667; X̂(2030) = 58.174863 + 1.91667 ×
  -- 7.213115 = 72.0
  local r = progress.escap_api { series = series { 2019, 50, 2022, 58, 2025, 62 }, target = 60,
    base_year = 2019, direction = "higher" }
  check.equal(r.class, "target_achieved")
  check.near(r.slope, 1.916667, 1e-5)
  check.near(r.predicted, 72.0, 1e-4)
  -- exactly at the target counts as met
  r = progress.escap_api { series = series { 2019, 50, 2025, 60 }, target = 60, base_year = 2019,
    direction = "higher" }
  check.equal(r.class, "target_achieved")
  -- the same values one step short stay maintain: 2019 50, 2025 59.9: slope 1.65 -> 2030 68.15 ≥ 60
  r = progress.escap_api { series = series { 2019, 50, 2025, 59.9 }, target = 60, base_year = 2019,
    direction = "higher" }
  check.equal(r.class, "maintain")
  -- lower is better, target 20: latest 18 ≤ 20 is achieved, 21 is not (2019 30, 2025 21:
  -- slope −1.5 -> 2030 13.5 ≤ 20: maintain)
  r = progress.escap_api { series = series { 2019, 30, 2025, 18 }, target = 20, base_year = 2019,
    direction = "lower" }
  check.equal(r.class, "target_achieved")
  r = progress.escap_api { series = series { 2019, 30, 2025, 21 }, target = 20, base_year = 2019,
    direction = "lower" }
  check.equal(r.class, "maintain")
  -- met now but heading back (2019 70, 2025 61, target 60, higher): slope −1.5, the projection
  -- 53.5 misses the target; ap = (53.5 − 70)/|60 − 70| = −1.65, gap 2.65 > 1: the warning stays
  r = progress.escap_api { series = series { 2019, 70, 2025, 61 }, target = 60, base_year = 2019,
    direction = "higher" }
  check.near(r.predicted, 53.5)
  check.near(r.gap, 2.65)
  check.equal(r.class, "reverse")
  -- an observation after current_year does not count
  r = progress.escap_api { series = series { 2019, 50, 2024, 55, 2025, 62 }, target = 60,
    base_year = 2019, direction = "higher", current_year = 2024 }
  check.equal(r.class, "maintain")
end

function T.escap_flat_trend_accelerates()
  -- a flat trend (gap exactly 1) does not run counter to the target: accelerate, not reverse
  local g = progress.escap_gap(50, 50, 100, "higher")
  check.near(g.gap, 1)
  check.equal(g.class, "accelerate")
end

function T.escap_api_needs_two_points()
  -- at least 2 points
  local r = progress.escap_api { series = series { 2015, 50 }, target = 100, direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note, "a projection needs at least 2 observations before 2030; found 1")
end

----------------------------------------------------------------------------------------------------
-- Statistics Canada / Open SDG (hand-computed)
----------------------------------------------------------------------------------------------------

function T.opensdg_target_higher()
  -- (1) with a target, higher is better: 2015 50, 2020 60, target 100 in 2030
  --   CAGR_o = (60/50)^(1/5) − 1 = 1.2^0.2 − 1 = 0.0371373
  --   CAGR_r = (100/50)^(1/15) − 1 = 2^(1/15) − 1 = 0.0472941
  --   R = 0.0371373/0.0472941 = 0.785241 -> 0.6 ≤ R < 0.95: progress needs acceleration
  --   score = 50/7 × 0.785241 − 30/7 = 5.608865 − 4.285714 = 1.323151
  local r = progress.opensdg { series = series { 2015, 50, 2020, 60 }, target = 100, direction = "higher" }
  check.near(r.cagr_observed, 0.0371373, 1e-7)
  check.near(r.cagr_required, 0.0472941, 1e-7)
  check.near(r.ratio, 0.785241, 1e-6)
  check.equal(r.class, "progress_needs_acceleration")
  check.near(r.score, 1.323151, 1e-6)
end

function T.opensdg_no_target_lower()
  -- (2) without a target, lower is better: 2015 20, 2019 18
  --   CAGR = (18/20)^(1/4) − 1 = 0.9^0.25 − 1 = −0.0259963; × d (−1) = 0.0259963 ≥ 0.015: on track
  --   score = min(500 × 0.0259963 − 5, 5) = min(7.998, 5) = 5
  local r = progress.opensdg { series = series { 2015, 20, 2019, 18 }, direction = "lower" }
  check.near(r.cagr_observed, -0.0259963, 1e-7)
  check.near(r.progress_value, 0.0259963, 1e-7)
  check.is_nil(r.ratio)
  check.equal(r.class, "on_track")
  check.equal(r.score, 5)
end

function T.opensdg_no_target_higher()
  -- (3) without a target, higher is better: 2015 100, 2020 102
  --   CAGR = 1.02^0.2 − 1 = 0.0039684 -> 0 ≤ CAGR < 0.005: limited progress
  --   score = 500 × 0.0039684 − 2.5 = −0.515811
  local r = progress.opensdg { series = series { 2015, 100, 2020, 102 }, direction = "higher" }
  check.near(r.cagr_observed, 0.0039684, 1e-7)
  check.equal(r.class, "limited_progress")
  check.near(r.score, -0.515811, 1e-6)
end

function T.opensdg_natural_limit()
  -- (4) natural limit 100, base 90 (≤ limit): C = 1 − (90/100)^4.44 = 1 − 0.626378 = 0.373622
  --   thresholds × C: high 0.015 × C = 0.0056043, med 0.005 × C = 0.0018681
  --   CAGR = (92/90)^(1/5) − 1 = 0.0044055 -> med ≤ CAGR < high: progress needs acceleration
  --   (without the limit it would be limited progress: 0.0044 < 0.005)
  --   score = 250 × 0.0044055/0.373622 − 1.25 = 2.947806 − 1.25 = 1.697806
  local r = progress.opensdg { series = series { 2015, 90, 2020, 92 }, limit = 100, direction = "higher" }
  check.near(r.coefficient, 0.373622, 1e-6)
  check.equal(r.class, "progress_needs_acceleration")
  check.near(r.score, 1.697806, 1e-6)
  check.equal(progress.opensdg { series = series { 2015, 90, 2020, 92 }, direction = "higher" }.class,
    "limited_progress")
end

function T.opensdg_wrong_way()
  -- (5) with a target, lower is better, moving the wrong way: 2015 40, 2021 44, target 20
  --   CAGR_o = 1.1^(1/6) − 1 = 0.0160119; CAGR_r = 0.5^(1/15) − 1 = −0.0451584
  --   R = d × CAGR_o/|CAGR_r| = −1 × 0.0160119/0.0451584 = −0.354571 < 0: deterioration
  --   score = max(25/6 × −0.354571 − 2.5, −5) = −1.477380 − 2.5 = −3.977380
  local r = progress.opensdg { series = series { 2015, 40, 2021, 44 }, target = 20, direction = "lower" }
  check.near(r.ratio, -0.354571, 1e-6)
  check.equal(r.class, "deterioration")
  check.near(r.score, -3.977380, 1e-6)
end

function T.opensdg_target_achieved()
  -- (6) target achieved: checked first, score 5
  local r = progress.opensdg { series = series { 2015, 90, 2020, 101 }, target = 100, direction = "higher" }
  check.equal(r.class, "target_achieved")
  check.equal(r.score, 5)
end

function T.opensdg_base_year_missing_zero_base()
  -- (7) base year missing -> first later year; zero base -> 0.001
  --   2016 0, 2020 0.004, no target: CAGR = (0.004/0.001)^(1/4) − 1 = 4^0.25 − 1 = 0.414214
  local r = progress.opensdg { series = series { 2016, 0, 2020, 0.004 }, direction = "higher" }
  check.equal(r.base_year_used, 2016)
  check.near(r.cagr_observed, math.sqrt(2) - 1, 1e-9)
  check.equal(r.note, "no value for 2015; base year 2016 used; base value 0 replaced by 0.001")
  check.equal(r.class, "on_track")
end

function T.opensdg_target_zero()
  -- (8) target 0 -> 0.001: lower is better, 2015 8, 2020 4, target 0
  --   CAGR_o = 0.5^(1/5) − 1 = −0.129449; CAGR_r = (0.001/8)^(1/15) − 1 = −0.450720
  --   R = −1 × −0.129449/0.450720 = 0.287206 -> limited progress
  local r = progress.opensdg { series = series { 2015, 8, 2020, 4 }, target = 0, direction = "lower" }
  check.near(r.ratio, 0.287206, 1e-6)
  check.equal(r.class, "limited_progress")
  check.equal(r.note, "target 0 replaced by 0.001")
end

function T.opensdg_score_anchors()
  -- score anchors of §2.4 (with a target): R = 0.6 -> 0, 0.95 -> 2.5, 1.3 -> 5, 0 -> −2.5, −0.6 -> −5
  -- built from series whose CAGR ratio is exactly R: base 100 in 2015, target 200 in 2030, so
  -- CAGR_r = 2^(1/15) − 1, and latest in 2020 = 100 × (1 + R × CAGR_r)^5
  local cagr_r = 2 ^ (1 / 15) - 1
  for _, case in ipairs({ { 0.6, 0 }, { 0.95, 2.5 }, { 1.3, 5 }, { 0, -2.5 }, { -0.6, -5 } }) do
    local R, expected = case[1], case[2]
    local x = progress.opensdg { series = series { 2015, 100, 2020, 100 * (1 + R * cagr_r) ^ 5 },
      target = 200, direction = "higher" }
    check.near(x.ratio, R, 1e-9)
    check.near(x.score, expected, 1e-9)
  end
end

function T.opensdg_custom_thresholds()
  -- custom thresholds change the class (not the score anchors)
  local r = progress.opensdg { series = series { 2015, 50, 2020, 60 }, target = 100, direction = "higher",
    thresholds = { high = 0.75 } }
  check.equal(r.class, "on_track")
end

function T.opensdg_insufficient_data()
  -- not enough data, opposite signs
  local r = progress.opensdg { series = series { 2015, 50 }, direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note, "only one observation since 2015; at least two years are needed")
  r = progress.opensdg { series = series { 2015, 5, 2020, -1 }, direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note,
    "base and latest values have opposite signs; transform the series before assessing it")
  r = progress.opensdg { series = {}, direction = "higher" }
  check.equal(r.note, "no observations")
end

function T.opensdg_base_at_target_moving_away()
  -- base value already at the target and moving away: deterioration (division by zero in Open SDG)
  local r = progress.opensdg { series = series { 2015, 100, 2020, 90 }, target = 100, direction = "higher" }
  check.equal(r.class, "deterioration")
  check.equal(r.score, -5)
end

function T.opensdg_no_change_from_zero()
  -- 0 in 2015 and 0 in 2020: the series has not moved. With the base replaced by 0.001 the CAGR
  -- would be (0/0.001)^(1/5) − 1 = −1 (deterioration when higher is better, on track when lower is
  -- better); the observed growth is 0 instead: v = 0 -> 0 ≤ v < 0.005: limited progress,
  -- score 500 × 0 − 2.5 = −2.5 (without a target)
  for _, direction in ipairs({ "higher", "lower" }) do
    local r = progress.opensdg { series = series { 2015, 0, 2020, 0 }, direction = direction }
    check.equal(r.cagr_observed, 0)
    check.equal(r.class, "limited_progress")
    check.near(r.score, -2.5)
    check.equal(r.note, "no change from zero")
  end
  -- with a target of 10: CAGR_r = (10/0.001)^(1/15) − 1 = 10^(4/15) − 1 = 0.847850; R = 0/0.847850 = 0
  --   -> limited progress, score max(25/6 × 0 − 2.5, −5) = −2.5
  local r = progress.opensdg { series = series { 2015, 0, 2020, 0 }, target = 10, direction = "higher" }
  check.near(r.cagr_required, 0.847850, 1e-6)
  check.equal(r.ratio, 0)
  check.equal(r.class, "limited_progress")
  check.near(r.score, -2.5)
  check.equal(r.note, "no change from zero")
  -- only the base and the latest value count: 0, 3, 0 has not changed either; a later base year
  -- keeps its note
  r = progress.opensdg { series = series { 2016, 0, 2018, 3, 2021, 0 }, direction = "higher" }
  check.equal(r.class, "limited_progress")
  check.equal(r.note, "no value for 2015; base year 2016 used; no change from zero")
  -- lower is better with a target of 0 (-> 0.001): 0 ≤ 0.001, achieved before any growth rate
  r = progress.opensdg { series = series { 2015, 0, 2020, 0 }, target = 0, direction = "lower" }
  check.equal(r.class, "target_achieved")
end

function T.opensdg_overflow_cannot_be_computed()
  -- 1e-300 in 2015, 1e300 in 2020: 1e300/1e-300 = 1e600 overflows to infinity, and so does the CAGR;
  -- before, higher was "on_track" and lower "deterioration" on an infinite rate
  for _, direction in ipairs({ "higher", "lower" }) do
    local r = progress.opensdg { series = series { 2015, 1e-300, 2020, 1e300 }, direction = direction }
    check.equal(r.class, "insufficient_data")
    check.is_nil(r.cagr_observed)
    check.is_nil(r.score)
    check.equal(r.note, "the growth rate from 1e-300 to 1e+300 cannot be computed (overflow)")
  end
  -- the required rate overflows: 1e-300 -> 1 observed (CAGR_o = 1e300^(1/5) − 1 = 1e60, finite),
  -- target 1e300: 1e300/1e-300 overflows; before, R = 1e60/inf = 0 gave "limited_progress"
  local r = progress.opensdg { series = series { 2015, 1e-300, 2020, 1 }, target = 1e300,
    direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.is_nil(r.ratio)
  check.equal(r.note,
    "the growth rate required from 1e-300 to the target 1e+300 cannot be computed (overflow)")
  -- the other way the ratio underflows to 0 and the rate is computed: (0)^(1/5) − 1 = −1, within
  -- 1e-100 of the exact 10^(−120) − 1: deterioration when higher is better
  r = progress.opensdg { series = series { 2015, 1e300, 2020, 1e-300 }, direction = "higher" }
  check.equal(r.cagr_observed, -1)
  check.equal(r.class, "deterioration")
end

function T.escap_overflow_cannot_be_computed()
  -- −1e308 -> 1e308, target 1.7e308: latest − base = 2e308 overflows, and |TV − I_0| = 2.7e308 too:
  -- inf/inf is not a number (before: "progressing_slowly", since NaN fails every comparison)
  local r = progress.escap_csi { series = series { 2015, -1e308, 2020, 1e308 }, target = 1.7e308,
    direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.is_nil(r.value)
  check.equal(r.note, "the share of the distance covered cannot be computed (overflow)")
  -- the regression: weights 1 and 15/10 = 1.5, t̄ = 2018, x̄ = 0.5e308/2.5 = 2e307; the weighted sum
  -- Σ w (t − t̄)(x − x̄) = (−3)(−1.2e308) + 1.5 × 2 × 0.8e308 overflows
  r = progress.escap_api { series = series { 2015, -1e308, 2020, 1e308 }, target = 1.7e308,
    direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.is_nil(r.predicted)
  check.equal(r.note, "the projection cannot be computed (overflow)")
end

function T.opensdg_target_and_base_opposite_signs()
  -- no growth rate leads from −5 to a target of 10: (10/−5)^(1/15) is not a real number
  local r = progress.opensdg { series = series { 2015, -5, 2020, -3 }, target = 10, direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.is_nil(r.ratio)
  check.is_nil(r.score)
  check.equal(r.note, "target and base value have opposite signs")
  -- a target of 0 becomes 0.001, which is positive: still opposite to −5, and the note says why
  r = progress.opensdg { series = series { 2016, -5, 2020, -3 }, target = 0, direction = "higher" }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note, "target 0 replaced by 0.001; no value for 2015; base year 2016 used; "
    .. "target and base value have opposite signs")
  -- the same signs: −5 -> −3 towards −1, higher is better, s = −1:
  --   CAGR_o = (−3/−5)^(1/5) − 1 = 0.6^0.2 − 1 = −0.097120; CAGR_r = 0.2^(1/15) − 1 = −0.101740
  --   R = s × d × CAGR_o/|CAGR_r| = −1 × −0.097120/0.101740 = 0.954585 ≥ 0.95 -> on track
  r = progress.opensdg { series = series { 2015, -5, 2020, -3 }, target = -1, direction = "higher" }
  check.near(r.ratio, 0.954585, 1e-6)
  check.equal(r.class, "on_track")
end

function T.opensdg_class_of_mean_score()
  -- class of a mean score of several series
  check.equal(progress.opensdg_class_of_score(2.5, false), "on_track")
  check.equal(progress.opensdg_class_of_score(0, false), "progress_needs_acceleration")
  check.equal(progress.opensdg_class_of_score(-0.1, false), "limited_progress")
  check.equal(progress.opensdg_class_of_score(-2.6, false), "deterioration")
  check.equal(progress.opensdg_class_of_score(1, true), "target_achieved")
  check.equal(progress.opensdg_class_of_score(nil, false), "insufficient_data")
end

----------------------------------------------------------------------------------------------------
-- SDSN trends, example 4.2(d)
----------------------------------------------------------------------------------------------------

function T.sdsn_trend_example_d()
  -- s2010 = 40, s2015 = 48, G = 80: required = (80 − 40)/(2030 − 2010) = 2.0; observed = 8/5 = 1.6;
  -- r = 0.8 -> moderately improving
  local r = progress.sdsn_trend { score_base = 40, year_base = 2010, score_latest = 48, year_latest = 2015,
    green = 80 }
  check.near(r.required, 2.0)
  check.near(r.observed, 1.6)
  check.near(r.ratio, 0.8)
  check.equal(r.class, "moderately_improving")
end

function T.sdsn_trend_required_from_latest()
  -- alternative reading (required from the latest year): (80 − 48)/15 = 2.1333, r = 0.75
  local r = progress.sdsn_trend { score_base = 40, year_base = 2010, score_latest = 48, year_latest = 2015,
    green = 80, required_from = "latest" }
  check.near(r.required, 32 / 15)
  check.near(r.ratio, 0.75)
  check.equal(r.class, "moderately_improving")
end

function T.sdsn_trend_readings_differ()
  -- numbers that separate the two readings: 40 -> 45 over 2010-2015: observed 1.0
  --   from base: required 2.0, r = 0.5 -> moderately improving (50% cut-off, inclusive)
  --   from latest: required 35/15 = 2.3333, r = 0.4286 -> stagnating
  local r = progress.sdsn_trend { score_base = 40, year_base = 2010, score_latest = 45, year_latest = 2015,
    green = 80 }
  check.near(r.ratio, 0.5)
  check.equal(r.class, "moderately_improving")
  r = progress.sdsn_trend { score_base = 40, year_base = 2010, score_latest = 45, year_latest = 2015,
    green = 80, required_from = "latest" }
  check.near(r.ratio, 3 / 7)
  check.equal(r.class, "stagnating")
end

function T.sdsn_trend_on_track_and_decreasing()
  -- on track: 40 -> 52 over 5 years: observed 2.4 ≥ 2.0
  check.equal(progress.sdsn_trend { score_base = 40, year_base = 2010, score_latest = 52,
    year_latest = 2015, green = 80 }.class, "on_track")
  -- decreasing
  check.equal(progress.sdsn_trend { score_base = 40, year_base = 2015, score_latest = 38,
    year_latest = 2020, green = 80 }.class, "decreasing")
end

function T.sdsn_trend_maintaining()
  -- maintaining: both at or above green; movements above green are ignored
  local r = progress.sdsn_trend { score_base = 85, year_base = 2015, score_latest = 81, year_latest = 2020,
    green = 80 }
  check.equal(r.class, "maintaining")
  -- fell below green: decreasing
  check.equal(progress.sdsn_trend { score_base = 85, year_base = 2015, score_latest = 75,
    year_latest = 2020, green = 80 }.class, "decreasing")
  r = progress.sdsn_trend { score_base = 40, year_base = 2015, score_latest = 45, year_latest = 2015,
    green = 80 }
  check.equal(r.class, "insufficient_data")
end

function T.sdsn_trend_series_from_the_base_year()
  -- scores 20 (2010), 40 (2015), 50 (2020), green 80, base year 2015: the trend runs from 2015
  --   observed = (50 − 40)/(2020 − 2015) = 2; required = (80 − 40)/(2030 − 2015) = 2.6667;
  --   r = 0.75 -> moderately improving
  -- (from the first observation, 2010, it would be observed 30/10 = 3, required 60/20 = 3,
  -- r = 1 -> on track)
  local identity = function(v) return v end
  local r = progress.sdsn_trend_series { series = series { 2010, 20, 2015, 40, 2020, 50 },
    score = identity, green = 80, base_year = 2015 }
  check.equal(r.base_year_used, 2015)
  check.near(r.observed, 2)
  check.near(r.required, 40 / 15)
  check.near(r.ratio, 0.75)
  check.equal(r.class, "moderately_improving")
  check.is_nil(r.note)
  -- no 2015 value: the first later year, 2017, with a note
  --   observed = (52 − 40)/4 = 3; required = (80 − 40)/13 = 3.0769; r = 0.975 -> moderately improving
  r = progress.sdsn_trend_series { series = series { 2012, 20, 2017, 40, 2021, 52 }, score = identity,
    green = 80 }
  check.equal(r.base_year_used, 2017)
  check.near(r.ratio, 0.975)
  check.equal(r.class, "moderately_improving")
  check.equal(r.note, "no value for 2015; base year 2017 used")
  -- the score function is applied to each value: value 2 × score, so 20 -> 40 and 25 -> 50 as above
  r = progress.sdsn_trend_series { series = series { 2015, 20, 2020, 25 }, green = 80,
    score = function(v) return 2 * v end }
  check.near(r.ratio, 0.75)
  -- observations after current_year are left out: 2024 (90) would make it on track
  r = progress.sdsn_trend_series { series = series { 2015, 40, 2020, 50, 2024, 90 }, score = identity,
    green = 80, current_year = 2021 }
  check.equal(r.latest_year, 2020)
  check.equal(r.class, "moderately_improving")
end

function T.sdsn_trend_series_insufficient_data()
  local identity = function(v) return v end
  local r = progress.sdsn_trend_series { series = series { 2010, 20, 2014, 30 }, score = identity,
    green = 80 }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note, "no observation in or after 2015")
  r = progress.sdsn_trend_series { series = series { 2010, 20, 2016, 30 }, score = identity,
    green = 80 }
  check.equal(r.class, "insufficient_data")
  check.equal(r.note, "only one observation since 2015; a later one is needed")
  check.fails("score must be a function", progress.sdsn_trend_series,
    { series = series { 2015, 1, 2020, 2 }, green = 80 })
end

----------------------------------------------------------------------------------------------------
-- SDSN dashboard colours (midpoint split, [M])
----------------------------------------------------------------------------------------------------

function T.sdsn_dashboard()
  -- poverty, lower is better: green 2, red 13, midpoint 7.5
  check.equal(progress.sdsn_dashboard { value = 1.5, green = 2, red = 13, direction = "lower" }, "green")
  check.equal(progress.sdsn_dashboard { value = 2, green = 2, red = 13, direction = "lower" }, "green")
  check.equal(progress.sdsn_dashboard { value = 7.5, green = 2, red = 13, direction = "lower" }, "yellow")
  check.equal(progress.sdsn_dashboard { value = 8, green = 2, red = 13, direction = "lower" }, "orange")
  check.equal(progress.sdsn_dashboard { value = 13, green = 2, red = 13, direction = "lower" }, "orange")
  check.equal(progress.sdsn_dashboard { value = 14, green = 2, red = 13, direction = "lower" }, "red")
  -- internet users, higher is better: green 80, red 50, midpoint 65; direction inferred
  check.equal(progress.sdsn_dashboard { value = 70, green = 80, red = 50 }, "yellow")
  check.equal(progress.sdsn_dashboard { value = 60, green = 80, red = 50 }, "orange")
  check.equal(progress.sdsn_dashboard { value = 45, green = 80, red = 50 }, "red")
  local colour, why = progress.sdsn_dashboard { value = 60, green = 80, red = 50, direction = "lower" }
  check.is_nil(colour)
  check.equal(why, "green threshold is on the wrong side of the red one for this direction")
end

----------------------------------------------------------------------------------------------------
-- labels and symbols
----------------------------------------------------------------------------------------------------
function T.labels_and_symbols()
  check.equal(progress.label("on_track"), "On track")
  check.equal(progress.label("progress_needs_acceleration"), "Progress needs acceleration")
  check.equal(progress.arrow("on_track"), "↑")
  check.equal(progress.arrow("moderately_improving"), "➚")
  check.equal(progress.arrow("stagnating"), "→")
  check.equal(progress.arrow("regressing"), "↓")
  check.equal(progress.arrow("target_achieved"), "✓")
  check.equal(progress.arrow("insufficient_data"), "?")
  check.equal(progress.colour("accelerate"), "yellow")
  check.equal(progress.colour("reverse"), "red")
  -- SDSN's legend shows maintained achievement with the on-track arrow
  check.equal(progress.arrow("maintaining"), "↑")
  check.equal(progress.colour("maintaining"), "green")
  check.equal(progress.label("yellow"), "Challenges remain")
  check.fails("unknown progress class 'sideways'", progress.label, "sideways")
end

function T.vocabulary_one_entry_per_class()
  -- the vocabulary the engine stores with each run: one entry per class, every field a string
  local seen = {}
  for _, e in ipairs(progress.VOCABULARY) do
    check.is_nil(seen[e.class])
    seen[e.class] = true
    for _, field in ipairs({ "class", "symbol", "colour", "label", "methods" }) do
      check.equal(type(e[field]), "string")
    end
  end
  check.equal(#progress.classes(), #progress.VOCABULARY)
end

function T.every_class_labelled()
  -- every class any function above can return has a label, a symbol and a colour
  for _, class in ipairs({ "target_achieved", "on_track", "progressing_slowly", "regressing",
    "insufficient_data", "maintain", "accelerate", "reverse", "progress_needs_acceleration",
    "limited_progress", "deterioration", "moderately_improving", "stagnating", "decreasing",
    "maintaining", "green", "yellow", "orange", "red" }) do
    assert(type(progress.label(class)) == "string" and progress.label(class) ~= "")
    assert(type(progress.arrow(class)) == "string")
    assert(type(progress.colour(class)) == "string")
  end
end

----------------------------------------------------------------------------------------------------
-- framework targets resolved to numbers
----------------------------------------------------------------------------------------------------

function T.resolve_target()
  local obs = series { 2015, 2.0, 2016, 3.0, 2017, 4.0, 2018, 3.0, 2019, 3.0, 2023, 1.0 }
  -- −50% vs the 2015-2019 mean: mean (2+3+4+3+3)/5 = 3 -> 3 × 0.5 = 1.5
  local t, note = progress.resolve_target({ kind = "rel_pct", value = -50, baseline = "2015-2019" }, obs)
  check.near(t, 1.5)
  check.equal(note, "baseline mean of 2015, 2016, 2017, 2018, 2019")
  -- en dash accepted
  check.near(progress.resolve_target({ kind = "rel_pct", value = -50, baseline = "2015–2019" }, obs), 1.5)
  check.near(progress.resolve_target({ kind = "abs", value = 0.5 }, obs), 0.5)
  check.near(progress.resolve_target({ kind = "rel_pp", value = 10, baseline = "2017" }, obs), 14)
  check.near(progress.resolve_target({ kind = "halve_gap", baseline = "2017" }, obs, 0), 2)
  local why
  t, why = progress.resolve_target({ kind = "rel_pct", value = -50, baseline = "2010-2012" }, obs)
  check.is_nil(t)
  check.equal(why, "no observation in the baseline 2010-2012")
  t, why = progress.resolve_target({ kind = "none" }, obs)
  check.is_nil(t)
  check.equal(why, "no target")
end

----------------------------------------------------------------------------------------------------
-- METHODS: the names a framework may choose, each one dispatched by scoring.lua
----------------------------------------------------------------------------------------------------

function T.methods_are_the_four_documented_names()
  local names = {}
  for name in pairs(progress.METHODS) do
    names[#names + 1] = name
  end
  table.sort(names)
  check.equal(table.concat(names, " "), "escap_api escap_csi opensdg sdsn")
end

function T.every_method_name_is_dispatched()
  -- each name gives a class only its own method gives, so none falls back to another one.
  -- Bounds 0..100 (score = value), higher is better, 40 (2015) -> 45 (2020), target 80 by 2030:
  -- escap_csi: CS = (45 − 40)/(80 − 40) = 0.125 < expected (2020 − 2015)/15 = 0.333 -> progressing
  --   slowly;
  -- escap_api: 2030 projection 45 × (45/40)^(10/5) = 56.95, short of 80 -> accelerate;
  -- opensdg: observed growth (45/40)^(1/5) − 1 = 2.38 %/year against the required
  --   (80/45)^(1/10) − 1 = 5.92 %/year, ratio 0.40 -> limited progress;
  -- sdsn: observed (45 − 40)/5 = 1 point/year against the required (80 − 40)/15 = 2.667, ratio
  --   0.375 -> stagnating.
  local scoring = require("scoring")
  local want = { escap_csi = "progressing_slowly", escap_api = "accelerate",
                 opensdg = "limited_progress", sdsn = "stagnating" }
  for name in pairs(progress.METHODS) do
    local ind = { id = "SC.EDU.2", direction = "higher", worst = 0, best = 100, method = name,
      series = series { 2015, 40, 2020, 45 }, targets = { [2030] = { kind = "abs", value = 80 } } }
    check.equal(scoring.indicator(ind, 2020).class, want[name])
  end
end

return T
