--- Progress towards targets: is an indicator moving fast enough, and in the right direction?
--
-- Five published methods, side by side, so that a framework can choose one per indicator:
--
-- * `escap_csi`  UN ESCAP Current Status Index: share of the base-to-target distance covered so far;
-- * `escap_api`  UN ESCAP Anticipated Progress Index: time-weighted trend projected to the target year;
-- * `opensdg`    Statistics Canada / Open SDG progress measure: compound annual growth rates;
-- * `sdsn_trend` SDSN trend arrows on normalised scores;
-- * `sdsn_dashboard` SDSN traffic-light colour of one value against green and red thresholds.
--
-- Sources and the status of each rule ([V] verified in the source, [U]/[M] not verified) are in
-- docs/methodology.md and shared/reference/progress-formulas.md.
--
-- Conventions. A series is a list of `{year = integer, value = number}`, oldest first (other fields,
-- such as `period`, are ignored; entries without a numeric value are skipped). `direction` is
-- "higher" (or "higher_to_cap") when higher values are better and "lower" when lower values are
-- better; any other direction is a programming mistake and raises an error, except "contextual",
-- which gives class "insufficient_data". Every function returns a plain table; when nothing can be
-- said its `class` is "insufficient_data" and `note` says why in plain words.
local M = {}

M.VERSION = "1"

local function is_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

-- +1 / -1 for a scored direction, false for "contextual"; raises for anything else.
local function direction_sign(direction, level)
  if direction == "higher" or direction == "higher_to_cap" then
    return 1
  elseif direction == "lower" then
    return -1
  elseif direction == "contextual" then
    return false
  end
  error("direction must be 'higher' or 'lower', got " .. tostring(direction), level + 1)
end

local function check_args(args, level)
  if type(args) ~= "table" then
    error("expected a table of named arguments", level + 1)
  end
end

-- Hot-path locals: these functions run for every indicator of every area.
local type, ipairs, format, abs = type, ipairs, string.format, math.abs
local huge = math.huge

-- True when every entry of `series` is usable, years strictly increase and none is after `up_to`:
-- the engine passes series in this shape, and they can then be read in place.
local function already_clean(series, up_to)
  local previous = -huge
  for i = 1, #series do
    local o = series[i]
    if type(o) ~= "table" then
      return false
    end
    local y, v = o.year, o.value
    if type(y) ~= "number" or type(v) ~= "number" or v ~= v or v == huge or v == -huge
        or y <= previous or y == huge or (up_to ~= nil and y > up_to) then
      return false
    end
    previous = y
  end
  return true
end

-- The usable observations of a series up to `up_to` (inclusive), sorted by year; read-only (it
-- may be the series itself). Returns nil and a reason when two observations share a year.
local function observations(series, up_to, level)
  if type(series) ~= "table" then
    error("series must be a list of {year =, value =}", level + 1)
  end
  if already_clean(series, up_to) then
    return series
  end
  local out, seen = {}, {}
  for _, o in ipairs(series) do
    if type(o) == "table" and is_number(o.year) and is_number(o.value)
        and (up_to == nil or o.year <= up_to) then
      if seen[o.year] then
        return nil, format("more than one value for %d", o.year)
      end
      seen[o.year] = true
      out[#out + 1] = { year = o.year, value = o.value }
    end
  end
  table.sort(out, function(a, b) return a.year < b.year end)
  return out
end

-- "no value for 2015; base year 2019 used", built once per pair of years.
local base_year_notes = {}
local function base_year_note(base_year, used)
  local key = base_year * 100000 + used
  local note = base_year_notes[key]
  if not note then
    note = format("no value for %d; base year %d used", base_year, used)
    base_year_notes[key] = note
  end
  return note
end

-- The observation of `base_year`, or the first one after it (Open SDG and ESCAP rule).
local function base_observation(obs, base_year)
  for _, o in ipairs(obs) do
    if o.year >= base_year then
      return o
    end
  end
  return nil
end

local function insufficient(result, why)
  result.class = "insufficient_data"
  result.note = why
  return result
end

local function join(notes)
  local n = #notes
  if n == 0 then
    return nil
  elseif n == 1 then
    return notes[1]
  end
  return table.concat(notes, "; ")
end

-- The first and last year of a baseline ("2019", "2015-2019", "2015–2019"), or nil and the
-- baseline as read. Parsed once per distinct text: every area resolves the same targets.
local baselines = {}
local function baseline_years(text)
  local known = baselines[text]
  if known then
    return known[1], known[2]
  end
  local b = string.gsub(text, "\u{2013}", "-")   -- an en dash, as in "2015–2019"
  local first, last = string.match(b, "^%s*(%d%d%d%d)%s*%-%s*(%d%d%d%d)%s*$")
  if not first then
    first = string.match(b, "^%s*(%d%d%d%d)%s*$")
    last = first
  end
  if not first then
    return nil, b
  end
  known = { tonumber(first), tonumber(last) }
  baselines[text] = known
  return known[1], known[2]
end

local single_year_notes = {}
local function single_year_note(year)
  local note = single_year_notes[year]
  if not note then
    note = format("baseline %d", year)
    single_year_notes[year] = note
  end
  return note
end

--- Resolves a framework target (docs/framework-format.md, `targets` items) to a number.
-- `abs`: the value; `rel_pct`: baseline × (1 + value/100); `rel_pp` and `rel_abs`: baseline + value;
-- `halve_gap`: baseline + (best − baseline)/2; `none`: no target. The baseline is a year ("2019") or a
-- range ("2015-2019"), whose value is the mean of the observations present in the range (choice made
-- here: at least one is needed; the note says which years were used).
-- @param target table {kind =, value =, baseline =}
-- @param series table the indicator's observations
-- @param best number|nil the framework's best bound (for halve_gap)
-- @return number|nil target value, string reason or note
function M.resolve_target(target, series, best)
  if type(target) ~= "table" then
    return nil, "no target"
  end
  local kind = target.kind
  if kind == "abs" then
    if not is_number(target.value) then
      return nil, "target has no value"
    end
    return target.value
  elseif kind == "none" or kind == nil then
    return nil, "no target"
  end
  if kind ~= "rel_pct" and kind ~= "rel_pp" and kind ~= "rel_abs" and kind ~= "halve_gap" then
    return nil, "unknown target kind '" .. tostring(kind) .. "'"
  end
  if kind ~= "halve_gap" and not is_number(target.value) then
    return nil, "target has no value"
  end
  local b = target.baseline
  if type(b) ~= "string" then
    return nil, "relative target without a baseline"
  end
  local first, last = baseline_years(b)
  if not first then
    return nil, "baseline '" .. last .. "' is not a year or a range of years"
  end
  local obs, why = observations(series or {}, nil, 2)
  if not obs then
    return nil, why
  end
  local sum, n, years = 0, 0, {}
  for _, o in ipairs(obs) do
    if o.year >= first and o.year <= last then
      sum = sum + o.value
      n = n + 1
      if first ~= last then
        years[#years + 1] = format("%d", o.year)
      end
    end
  end
  if n == 0 then
    return nil, "no observation in the baseline " .. string.gsub(b, "\u{2013}", "-")
  end
  local base = sum / n
  local note
  if first == last then
    note = single_year_note(first)
  else
    note = "baseline mean of " .. table.concat(years, ", ")
  end
  if kind == "rel_pct" then
    return base * (1 + target.value / 100), note
  elseif kind == "halve_gap" then
    if not is_number(best) then
      return nil, "halve_gap target without a best bound"
    end
    return base + (best - base) / 2, note
  end
  return base + target.value, note
end

--------------------------------------------------------------------------------------------------
-- UN ESCAP
--------------------------------------------------------------------------------------------------

--- UN ESCAP Current Status Index for one indicator: how much of the distance from the base-year
-- value to the target has been covered.
--
--     CS = D × (I_t − I_0) / |TV − I_0|,  D = +1 (higher is better) or −1 (lower is better)
--     CS = 1 when the latest value meets or passes the target (capped)
--     expected = (t − t0) / (T − t0)
--
-- This is the linear share of the base-to-target distance of the SDG-MENARO implementation of the
-- ESCAP method (progress-formulas.md §1.2 [U]: ESCAP's own formula could not be read), without its
-- ×10 scale. The |TV − I_0| form keeps the sign right when the base value was already past the target.
-- Class: "target_achieved" (CS capped at 1), "on_track" when CS ≥ expected (the bar reaches the
-- current-year line [V]), "regressing" when CS < 0, otherwise "progressing_slowly".
-- Choices made here: if the base year has no observation the first later year is used (and
-- `base_year_used` says so) and t0 is that year; t is the year of the latest observation (the
-- bar's year), or `current_year` when `expected_at = "current"`; `expected` is kept within 0..1.
-- @param args table {series =, target =, direction =, base_year = 2015, target_year = 2030,
--   current_year = nil (ignore later observations), expected_at = "latest"|"current"}
-- @return table {value =, expected =, class =, base_year_used =, base_value =, latest_year =,
--   latest_value =, note =}
function M.escap_csi(args)
  check_args(args, 2)
  local d = direction_sign(args.direction, 2)
  local base_year = args.base_year or 2015
  local target_year = args.target_year or 2030
  local result = {}
  local obs, why = observations(args.series, args.current_year, 2)
  if not d then
    return insufficient(result, "contextual indicators are not assessed")
  end
  if not obs then
    return insufficient(result, why)
  end
  if not is_number(args.target) then
    return insufficient(result, "no target value")
  end
  local target = args.target
  local base = base_observation(obs, base_year)
  if not base then
    return insufficient(result, string.format("no observation in or after %d", base_year))
  end
  result.base_year_used, result.base_value = base.year, base.value
  local notes = {}
  if base.year ~= base_year then
    notes[1] = base_year_note(base_year, base.year)
  end
  local latest = obs[#obs]
  if latest.year <= base.year then
    return insufficient(result, string.format(
      "only one observation since %d; a later one is needed", base_year))
  end
  if base.year >= target_year then
    return insufficient(result, string.format("base year %d is not before the target year %d",
      base.year, target_year))
  end
  result.latest_year, result.latest_value = latest.year, latest.value
  local t = latest.year
  if args.expected_at == "current" then
    if not is_number(args.current_year) then
      error("expected_at = 'current' needs current_year", 2)
    end
    t = args.current_year
  end
  local expected = (t - base.year) / (target_year - base.year)
  if expected > 1 then
    expected = 1
  elseif expected < 0 then
    expected = 0
  end
  result.expected = expected
  if d * (latest.value - target) >= 0 then
    result.value = 1
    result.class = "target_achieved"
    result.note = join(notes)
    return result
  end
  local distance = math.abs(target - base.value)
  if distance == 0 then
    -- the base value was at the target and the latest value has moved away from it
    notes[#notes + 1] = "the base value was at the target; the latest value has moved away"
    result.class = "regressing"
    result.note = join(notes)
    return result
  end
  local cs = d * (latest.value - base.value) / distance
  if not is_number(cs) then
    return insufficient(result, "the share of the distance covered cannot be computed (overflow)")
  end
  result.value = cs
  if cs < 0 then
    result.class = "regressing"
  elseif cs >= expected then
    result.class = "on_track"
  else
    result.class = "progressing_slowly"
  end
  result.note = join(notes)
  return result
end

--- UN ESCAP gap classification of a projected value (progress-formulas.md §2.2, [U] natural reading
-- of the verified UNECE wording "anticipated gap between the target value and the projected value for
-- 2030 relative to the progress required between 2015 and 2030"):
--
--     AP  = D × (X̂_T − X_0) / |TV − X_0|     (share of the required progress expected by T)
--     gap = 1 − AP, which is (TV − X̂_T) / (TV − X_0) whenever X_0 has not reached the target
--     "maintain" when X̂_T meets or passes the target (gap ≤ 0), "accelerate" when 0 < gap ≤ 1,
--     "reverse" when gap > 1 (the projection ends further from the target than the base value)
--
-- The D/|…| form gives the same numbers as (TV − X̂)/(TV − X_0) in the usual case and keeps the
-- sign right when X_0 was already past the target.
-- @param predicted number X̂_T
-- @param base_value number X_0
-- @param target number TV
-- @param direction string "higher" or "lower"
-- @return table {ap =, gap =, class =, note =}
function M.escap_gap(predicted, base_value, target, direction)
  local d = direction_sign(direction, 2)
  if not d then
    return insufficient({}, "contextual indicators are not assessed")
  end
  if not is_number(predicted) or not is_number(base_value) or not is_number(target) then
    return insufficient({}, "projection, base value or target missing")
  end
  local result = {}
  local achieved = d * (predicted - target) >= 0
  local distance = math.abs(target - base_value)
  if distance == 0 then
    result.class = achieved and "maintain" or "reverse"
    result.note = "the base value was at the target"
    return result
  end
  result.ap = d * (predicted - base_value) / distance
  result.gap = 1 - result.ap
  if achieved then
    result.class = "maintain"
  elseif result.gap <= 1 then
    result.class = "accelerate"
  else
    result.class = "reverse"
  end
  if d * (base_value - target) > 0 then
    result.note = "the base value was already past the target"
  end
  return result
end

--- UN ESCAP Anticipated Progress Index: projects the indicator to the target year with a
-- time-weighted linear regression on levels and classifies the gap with `escap_gap`. Choice made
-- here: "target_achieved" instead of "maintain" when the latest observation already meets or
-- passes the target (the projection's numbers are still given); a latest value past the target
-- whose projection misses it keeps "accelerate" or "reverse", a warning that it will not hold.
--
--     w_i = (T − t_min) / (T − t_i)     (the first year weighs 1, later years more)
--     slope = Σ w (t − t̄)(x − x̄) / Σ w (t − t̄)²,  t̄, x̄ weighted means
--     X̂_T = x̄ + slope × (T − t̄)
--
-- [V] UNECE: "time-weighted linear regression … gives more importance to more recent data".
-- [U] the weight formula and regression on levels follow the SDG-MENARO code
-- (progress-formulas.md §2.3); ESCAP's own may use logs or logits for bounded indicators.
-- Choices made here: all observations before T are used (UNECE fits from 2000 onwards), unless
-- `fit_from` sets the first year; at least 2 are needed; observations in or after T are left out
-- (their weight would be infinite); X_0 is the base-year value, or the first later one.
-- @param args table {series =, target =, direction =, base_year = 2015, target_year = 2030,
--   current_year = nil, fit_from = nil}
-- @return table {predicted =, slope =, ap =, gap =, class =, n =, base_year_used =, base_value =,
--   note =}
function M.escap_api(args)
  check_args(args, 2)
  local d = direction_sign(args.direction, 2)
  local base_year = args.base_year or 2015
  local T = args.target_year or 2030
  local result = {}
  local obs, why = observations(args.series, args.current_year, 2)
  if not d then
    return insufficient(result, "contextual indicators are not assessed")
  end
  if not obs then
    return insufficient(result, why)
  end
  if not is_number(args.target) then
    return insufficient(result, "no target value")
  end
  local notes = {}
  local fit, dropped = obs, 0
  if args.fit_from ~= nil or (#obs > 0 and obs[#obs].year >= T) then
    fit = {}
    for _, o in ipairs(obs) do
      if o.year >= T then
        dropped = dropped + 1
      elseif args.fit_from == nil or o.year >= args.fit_from then
        fit[#fit + 1] = o
      end
    end
  end
  if dropped > 0 then
    notes[#notes + 1] = string.format("%d observation(s) in or after %d left out of the projection",
      dropped, T)
  end
  result.n = #fit
  if #fit < 2 then
    return insufficient(result, string.format(
      "a projection needs at least 2 observations before %d; found %d", T, #fit))
  end
  local base = base_observation(obs, base_year)
  if not base then
    return insufficient(result, string.format("no observation in or after %d", base_year))
  end
  result.base_year_used, result.base_value = base.year, base.value
  if base.year ~= base_year then
    table.insert(notes, 1, base_year_note(base_year, base.year))
  end
  local t_min = fit[1].year
  local W, st, sx = 0, 0, 0
  for i = 1, #fit do
    local o = fit[i]
    local w = (T - t_min) / (T - o.year)
    W = W + w
    st = st + w * o.year
    sx = sx + w * o.value
  end
  local tbar, xbar = st / W, sx / W
  local sxx, sxy = 0, 0
  for i = 1, #fit do
    local o = fit[i]
    local w = (T - t_min) / (T - o.year)
    local dt = o.year - tbar
    sxx = sxx + w * dt * dt
    sxy = sxy + w * dt * (o.value - xbar)
  end
  local slope = sxy / sxx
  local predicted = xbar + slope * (T - tbar)
  if not is_number(predicted) then
    return insufficient(result, "the projection cannot be computed (overflow)")
  end
  result.slope, result.predicted = slope, predicted
  local g = M.escap_gap(result.predicted, base.value, args.target, args.direction)
  result.ap, result.gap, result.class = g.ap, g.gap, g.class
  if g.note then
    notes[#notes + 1] = g.note
  end
  -- "maintain" for a value that already meets the target reads as "still on the way": say it is
  -- achieved. A met target whose projection falls back short of it keeps its warning class.
  if result.class == "maintain" and d * (obs[#obs].value - args.target) >= 0 then
    result.class = "target_achieved"
  end
  result.note = join(notes)
  return result
end

--------------------------------------------------------------------------------------------------
-- Statistics Canada / Open SDG
--------------------------------------------------------------------------------------------------

local OPENSDG_THRESHOLDS = {
  [1] = { high = 0.015, med = 0.005, low = 0 },   -- without a target: CAGR
  [2] = { high = 0.95, med = 0.6, low = 0 },      -- with a target: ratio of CAGRs
}

local function cagr(value, base_value, year, base_year)
  return (value / base_value) ^ (1 / (year - base_year)) - 1
end

--- Statistics Canada progress measure as implemented in Open SDG (open-sdg/sdg-build
-- sdg/ProgressMeasure.py; method doc open-sdg/open-sdg docs/progress-methodology.md) [V].
--
--     CAGR_o = (y_t / y_0)^(1/(t − t0)) − 1
--     without a target:  v = s × d × CAGR_o, compared with 1.5% / 0.5% / 0 (× C near a `limit`)
--     with a target:     CAGR_r = (target / y_0)^(1/(T − t0)) − 1,  v = R = s × d × CAGR_o / |CAGR_r|,
--                        compared with 0.95 / 0.6 / 0
--     d = +1 higher is better, −1 lower is better; s = −1 when y_0 < 0
--     C = 1 − (y_0/limit)^4.44 when y_0 ≤ limit; 1 − ((2·limit − y_0)/limit)^4.44 when
--         limit < y_0 < 2·limit; 1 when y_0 ≥ 2·limit (absolute values)
--
-- Classes: "target_achieved" (latest value meets the target: checked first), "on_track" (v ≥ high),
-- "progress_needs_acceleration" (med ≤ v < high), "limited_progress" (low ≤ v < med),
-- "deterioration" (v < low). These are the names the code returned when §2.4 was written; the
-- current code calls the first two "substantial_progress" and "moderate_progress".
-- Score −5..+5 (Open SDG `get_score`): target achieved → 5; with a target, R ≤ −0.6 → −5, 0 → −2.5,
-- 0.6 → 0, 0.95 → 2.5, ≥ 1.3 → 5, linear in between; without a target, CAGR/C ≤ −2% → −5, 0 → −2.5,
-- 0.5% → 0, 1.5% → 2.5, ≥ 2% → 5 (below 0 the slope is 125 without C, as in the code). The code's
-- rounded slopes (7.1429, 4.2857, 4.1667) are written here as the exact 50/7, 30/7 and 25/6 so that
-- the anchor points fall exactly where the method document puts them (difference < 0.0002). Like
-- Open SDG, the score uses these default anchors even when `thresholds` are changed, so custom
-- thresholds can make `class` and `score` disagree.
-- Rules kept from Open SDG: base year missing → first later year; target 0 → 0.001; base value 0 →
-- 0.001; at least two years; base and latest values of opposite signs → no result; `limit` is
-- ignored when there is a target. Open SDG's code defaults the direction to "negative" (lower is
-- better); here the direction must be given.
-- Choices made here: when the base value already equals the target and the latest value has moved
-- away (CAGR_r = 0, a division by zero in Open SDG) the class is "deterioration", score −5, ratio nil.
-- A base and a latest value both 0 have not moved: CAGR_o = 0 (not the −100 % that the 0.001
-- replacement gives), so the class is what a growth of 0 gets ("limited_progress", score −2.5), with
-- the note "no change from zero". A target and a base value of opposite signs (after the 0.001
-- replacements) have no growth rate between them: "insufficient_data". A growth rate or ratio that
-- overflows (values from 1e-300 to 1e300) is "insufficient_data" with a note that it cannot be
-- computed, never an infinite rate classed as on track or deterioration.
-- @param args table {series =, direction =, target = nil, base_year = 2015, target_year = 2030,
--   limit = nil, thresholds = nil ({high =, med =, low =}, each optional), current_year = nil}
-- @return table {class =, cagr_observed =, cagr_required =, ratio =, progress_value =, score =,
--   coefficient =, base_year_used =, base_value =, latest_year =, latest_value =, note =}
function M.opensdg(args)
  check_args(args, 2)
  local d = direction_sign(args.direction, 2)
  local base_year = args.base_year or 2015
  local target_year = args.target_year or 2030
  local result = {}
  local obs, why = observations(args.series, args.current_year, 2)
  if not d then
    return insufficient(result, "contextual indicators are not assessed")
  end
  if not obs then
    return insufficient(result, why)
  end
  if #obs == 0 then
    return insufficient(result, "no observations")
  end
  local notes = {}
  local target = args.target
  if target ~= nil and not is_number(target) then
    error("target must be a number or nil", 2)
  end
  if target == 0 then
    target = 0.001
    notes[#notes + 1] = "target 0 replaced by 0.001"
  end
  local method = target == nil and 1 or 2
  local latest = obs[#obs]
  result.latest_year, result.latest_value = latest.year, latest.value
  if target ~= nil and d * (latest.value - target) >= 0 then
    result.class = "target_achieved"
    result.score = 5
    result.note = join(notes)
    return result
  end
  local base = base_observation(obs, base_year)
  if not base then
    return insufficient(result, string.format("no observation in or after %d", base_year))
  end
  result.base_year_used = base.year
  if base.year ~= base_year then
    notes[#notes + 1] = base_year_note(base_year, base.year)
  end
  if latest.year - base.year < 1 then
    return insufficient(result, string.format(
      "only one observation since %d; at least two years are needed", base_year))
  end
  local y0 = base.value
  -- 0 at the base and at the latest year: the series has not moved. Replacing the base by 0.001
  -- would read it as a fall of 100 % (deterioration, or on track when lower is better).
  local from_zero = y0 == 0 and latest.value == 0
  if y0 == 0 then
    y0 = 0.001
    notes[#notes + 1] = from_zero and "no change from zero" or "base value 0 replaced by 0.001"
  end
  result.base_value = y0
  if (y0 > 0 and latest.value < 0) or (y0 < 0 and latest.value > 0) then
    return insufficient(result,
      "base and latest values have opposite signs; transform the series before assessing it")
  end
  local s = y0 < 0 and -1 or 1
  -- the shared defaults are read in place unless this call changes them (thresholds, limit)
  local thresholds = OPENSDG_THRESHOLDS[method]
  if args.thresholds ~= nil or args.limit ~= nil then
    local defaults = thresholds
    thresholds = {}
    for k, v in pairs(defaults) do
      thresholds[k] = v
    end
  end
  if args.thresholds ~= nil then
    for _, k in ipairs({ "high", "med", "low" }) do
      local v = args.thresholds[k]
      if v ~= nil then
        if not is_number(v) then
          error("threshold '" .. k .. "' must be a number", 2)
        end
        thresholds[k] = v
      end
    end
  end
  result.cagr_observed = from_zero and 0 or cagr(latest.value, y0, latest.year, base.year)
  if not is_number(result.cagr_observed) then
    result.cagr_observed = nil
    return insufficient(result, format("the growth rate from %g to %g cannot be computed (overflow)",
      y0, latest.value))
  end
  local coeff = 1
  local v
  if method == 1 then
    if args.limit ~= nil then
      if not is_number(args.limit) then
        error("limit must be a number or nil", 2)
      end
      local b, lim = math.abs(y0), math.abs(args.limit)
      local a = 4.44
      if b >= 2 * lim then
        coeff = 1
      elseif b <= lim then
        coeff = 1 - (b / lim) ^ a
      else
        coeff = 1 - ((2 * lim - b) / lim) ^ a
      end
      thresholds.high = thresholds.high * coeff
      thresholds.med = thresholds.med * coeff
      thresholds.low = thresholds.low * coeff
      result.coefficient = coeff
    end
    v = s * d * result.cagr_observed
  else
    if args.limit ~= nil then
      notes[#notes + 1] = "limit ignored because a target is given"
    end
    if target_year - base.year <= 0 then
      return insufficient(result, string.format("base year %d is not before the target year %d",
        base.year, target_year))
    end
    if target / y0 < 0 then
      -- no growth rate leads from one sign to the other (docs/methodology.md)
      notes[#notes + 1] = "target and base value have opposite signs"
      return insufficient(result, join(notes))
    end
    result.cagr_required = cagr(target, y0, target_year, base.year)
    if not is_number(result.cagr_required) then
      result.cagr_required = nil
      return insufficient(result, format(
        "the growth rate required from %g to the target %g cannot be computed (overflow)", y0, target))
    end
    if result.cagr_required == 0 then
      notes[#notes + 1] = "the base value was at the target; the latest value has moved away"
      result.class = "deterioration"
      result.score = -5
      result.note = join(notes)
      return result
    end
    v = s * d * result.cagr_observed / math.abs(result.cagr_required)
    if not is_number(v) then
      return insufficient(result, "the ratio of the growth rates cannot be computed (overflow)")
    end
    result.ratio = v
  end
  result.progress_value = v
  if v >= thresholds.high then
    result.class = "on_track"
  elseif v >= thresholds.med then
    result.class = "progress_needs_acceleration"
  elseif v >= thresholds.low then
    result.class = "limited_progress"
  else
    result.class = "deterioration"
  end
  -- score, with the default anchors (Open SDG get_score)
  local score
  if method == 1 then
    if v < thresholds.low then
      score = math.max(125 * v - 2.5, -5)
    elseif coeff == 0 then
      score = 5
    elseif v >= thresholds.high then
      score = math.min(500 * v / coeff - 5, 5)
    elseif v >= thresholds.med then
      score = 250 * v / coeff - 1.25
    else
      score = 500 * v / coeff - 2.5
    end
  else
    if v >= thresholds.med then
      score = math.min(50 / 7 * v - 30 / 7, 5)
    else
      score = math.max(25 / 6 * v - 2.5, -5)
    end
  end
  result.score = score
  result.note = join(notes)
  return result
end

--- Open SDG class of a mean score (−5..+5) of several series (Open SDG
-- `get_progress_status_from_score`): [2.5, 5] on track, [0, 2.5) acceleration needed, [−2.5, 0)
-- limited progress, [−5, −2.5) deterioration; "target_achieved" only when every series achieved it.
-- @param score number|nil mean score
-- @param all_achieved boolean
-- @return string class
function M.opensdg_class_of_score(score, all_achieved)
  if all_achieved then
    return "target_achieved"
  end
  if not is_number(score) then
    return "insufficient_data"
  end
  if score >= 2.5 then
    return "on_track"
  elseif score >= 0 then
    return "progress_needs_acceleration"
  elseif score >= -2.5 then
    return "limited_progress"
  end
  return "deterioration"
end

--------------------------------------------------------------------------------------------------
-- SDSN
--------------------------------------------------------------------------------------------------

--- SDSN trend arrow of one indicator, on normalised scores (0-100, higher is better), per the
-- Africa SDG Index FAQ Q13-Q14 [V] (progress-formulas.md §3.4):
--
--     required = (green − s_base) / (T − year_base)     linear points per year to reach green by T
--     observed = (s_latest − s_base) / (year_latest − year_base)
--     r = observed / required
--
-- "maintaining" when both the base and the latest score are at or above green (movements above the
-- green threshold are ignored [V]); "decreasing" when observed < 0 [V label]; "on_track" when
-- r ≥ 1 [U equality]; "moderately_improving" when 0.5 ≤ r < 1 [V 50% cut-off]; "stagnating"
-- when 0 ≤ r < 0.5 [U equality at 0].
-- Choices made here: a base score at or above green that falls below it is "decreasing" (the
-- source does not say); `required_from = "latest"` measures the required rate from the latest
-- year instead (the alternative reading of §4.2(d)).
-- @param args table {score_base =, year_base =, score_latest =, year_latest =, green =,
--   target_year = 2030, required_from = "base"|"latest"}
-- @return table {class =, observed =, required =, ratio =, note =}
function M.sdsn_trend(args)
  check_args(args, 2)
  local T = args.target_year or 2030
  local result = {}
  local sb, yb, sl, yl, g = args.score_base, args.year_base, args.score_latest, args.year_latest,
    args.green
  if not (is_number(sb) and is_number(yb) and is_number(sl) and is_number(yl)) then
    return insufficient(result, "a base and a latest score, with their years, are needed")
  end
  if not is_number(g) then
    return insufficient(result, "no green threshold")
  end
  if yl <= yb then
    return insufficient(result, "the latest year must be after the base year")
  end
  result.observed = (sl - sb) / (yl - yb)
  if sb >= g and sl >= g then
    result.class = "maintaining"
    return result
  end
  if result.observed < 0 then
    result.class = "decreasing"
    return result
  end
  local from_score, from_year = sb, yb
  if args.required_from == "latest" then
    from_score, from_year = sl, yl
  elseif args.required_from ~= nil and args.required_from ~= "base" then
    error("required_from must be 'base' or 'latest'", 2)
  end
  if from_year >= T then
    return insufficient(result, string.format("%d is not before the target year %d", from_year, T))
  end
  result.required = (g - from_score) / (T - from_year)
  if result.required <= 0 then
    -- only reachable with required_from = "latest": the latest score is at or above green
    result.class = "on_track"
    return result
  end
  result.ratio = result.observed / result.required
  if result.ratio >= 1 then
    result.class = "on_track"
  elseif result.ratio >= 0.5 then
    result.class = "moderately_improving"
  else
    result.class = "stagnating"
  end
  return result
end

--- SDSN trend arrow of an indicator's series: `sdsn_trend` from the framework's base year to the
-- latest observation. The base is the observation of `base_year` or, when it has none, the first
-- later one (the rule of the other methods here, with a note); earlier observations are not used
-- (SDSN: "trends will later use 2015 as baseline", progress-formulas.md §3.4). Observations after
-- `current_year` are ignored. `score` turns a value into its normalised score (0-100, higher is
-- better) and `green` is the green threshold on that scale.
-- @param args table {series =, score = function(value) -> number|nil, green =, base_year = 2015,
--   target_year = 2030, current_year = nil, required_from = "base"|"latest"}
-- @return table as `sdsn_trend`, with base_year_used =, latest_year =
function M.sdsn_trend_series(args)
  check_args(args, 2)
  if type(args.score) ~= "function" then
    error("score must be a function from a value to its normalised score", 2)
  end
  local base_year = args.base_year or 2015
  local result = {}
  local obs, why = observations(args.series, args.current_year, 2)
  if not obs then
    return insufficient(result, why)
  end
  local base = base_observation(obs, base_year)
  if not base then
    return insufficient(result, format("no observation in or after %d", base_year))
  end
  local latest = obs[#obs]
  if latest.year <= base.year then
    return insufficient(result, format("only one observation since %d; a later one is needed",
      base_year))
  end
  result = M.sdsn_trend({ score_base = args.score(base.value), year_base = base.year,
                          score_latest = args.score(latest.value), year_latest = latest.year,
                          green = args.green, target_year = args.target_year,
                          required_from = args.required_from })
  result.base_year_used, result.latest_year = base.year, latest.year
  if base.year ~= base_year then
    result.note = join({ base_year_note(base_year, base.year), result.note })
  end
  return result
end

--- SDSN dashboard colour of one value against its green and red thresholds [V for the four colours
-- and the two thresholds]: "green" when the value meets the green threshold (SDG achieved), "red" when
-- it is worse than the red threshold, and in between "yellow" on the green side of the midpoint
-- between the thresholds and "orange" on the red side. [M] The midpoint split is not verified.
-- Choices made here: a value exactly at the green threshold is green, one exactly at the red
-- threshold is orange (red means beyond it), one exactly at the midpoint is yellow. When `direction`
-- is nil it is inferred from the thresholds (green > red: higher is better).
-- @param args table {value =, green =, red =, direction = nil|"higher"|"lower"}
-- @return string|nil colour, string|nil reason
function M.sdsn_dashboard(args)
  check_args(args, 2)
  local x, g, r = args.value, args.green, args.red
  if not is_number(x) then
    return nil, "no numeric value"
  end
  if not is_number(g) or not is_number(r) then
    return nil, "no green or red threshold"
  end
  if g == r then
    return nil, "green and red thresholds are equal"
  end
  local d
  if args.direction == nil then
    d = g > r and 1 or -1
  else
    d = direction_sign(args.direction, 2)
    if not d then
      return nil, "contextual indicators are not rated"
    end
    if d * (g - r) < 0 then
      return nil, "green threshold is on the wrong side of the red one for this direction"
    end
  end
  if d * (x - g) >= 0 then
    return "green"
  elseif d * (x - r) < 0 then
    return "red"
  elseif d * (x - (g + r) / 2) >= 0 then
    return "yellow"
  end
  return "orange"
end

--------------------------------------------------------------------------------------------------
-- Labels and symbols for reports
--------------------------------------------------------------------------------------------------

-- The progress methods a framework may name, in its `scoring.progress` or an indicator's
-- `scoring.method` (docs/framework-format.md), each with what scripts/scoring.lua runs for it. This
-- table is the only list of the names: `acvtrack framework check` and every scoring run refuse a
-- name that is not here, at its file and line, instead of silently falling back to another method.
-- A city overlay that adds a method adds its name here (in its own copy of this file) and its
-- dispatch in its scoring.lua.
M.METHODS = {
  escap_api = "UN ESCAP Anticipated Progress Index (escap_api), the default",
  escap_csi = "UN ESCAP Current Status Index (escap_csi)",
  opensdg = "Open SDG progress measure (opensdg); also used without a numeric target",
  sdsn = "SDSN trend arrows on normalised scores (sdsn_trend_series)",
}

-- The progress-class vocabulary: every class any method here gives, once, with the symbol, the
-- traffic-light colour and the plain words a report shows, and the methods that give it. This table
-- is the only copy: the engine reads it after loading the scoring scripts and stores it with every
-- scoring run (a run's class vocabulary), so a report shows a run with the words and symbols it was
-- scored with, and an expert who changes a method changes its classes here.
-- The colour is also what the priority method weighs (priorities.lua colour_penalty).
M.VOCABULARY = {
  { class = "target_achieved", symbol = "✓", colour = "green", label = "Target achieved",
    methods = "escap_csi escap_api opensdg" },
  -- SDSN's legend: "↑ on track or maintaining SDG achievement"
  { class = "maintaining", symbol = "↑", colour = "green", label = "Maintaining achievement",
    methods = "sdsn_trend" },
  { class = "on_track", symbol = "↑", colour = "green", label = "On track",
    methods = "escap_csi opensdg sdsn_trend" },
  { class = "maintain", symbol = "↑", colour = "green", label = "On track (maintain progress)",
    methods = "escap_api" },
  { class = "moderately_improving", symbol = "➚", colour = "yellow",
    label = "Improving, not fast enough", methods = "sdsn_trend" },
  { class = "progress_needs_acceleration", symbol = "➚", colour = "yellow",
    label = "Progress needs acceleration", methods = "opensdg" },
  { class = "accelerate", symbol = "➚", colour = "yellow", label = "Progress needs acceleration",
    methods = "escap_api" },
  { class = "progressing_slowly", symbol = "➚", colour = "yellow", label = "Progressing too slowly",
    methods = "escap_csi" },
  { class = "limited_progress", symbol = "→", colour = "orange", label = "Limited progress",
    methods = "opensdg" },
  { class = "stagnating", symbol = "→", colour = "orange", label = "Stagnating",
    methods = "sdsn_trend" },
  { class = "deterioration", symbol = "↓", colour = "red", label = "Moving away from the target",
    methods = "opensdg" },
  { class = "decreasing", symbol = "↓", colour = "red", label = "Moving away from the target",
    methods = "sdsn_trend" },
  { class = "regressing", symbol = "↓", colour = "red", label = "Moving away from the target",
    methods = "escap_csi" },
  { class = "reverse", symbol = "↓", colour = "red", label = "Moving away from the target",
    methods = "escap_api" },
  { class = "insufficient_data", symbol = "?", colour = "grey", label = "Not enough data for a trend",
    methods = "escap_csi escap_api opensdg sdsn_trend" },
  -- sdsn_dashboard colours
  { class = "green", symbol = "●", colour = "green", label = "Goal achieved",
    methods = "sdsn_dashboard" },
  { class = "yellow", symbol = "●", colour = "yellow", label = "Challenges remain",
    methods = "sdsn_dashboard" },
  { class = "orange", symbol = "●", colour = "orange", label = "Significant challenges remain",
    methods = "sdsn_dashboard" },
  { class = "red", symbol = "●", colour = "red", label = "Major challenges remain",
    methods = "sdsn_dashboard" },
}

local CLASSES = {}
for _, e in ipairs(M.VOCABULARY) do
  CLASSES[e.class] = e
end

local function entry(class)
  local e = CLASSES[class]
  if not e then
    error("unknown progress class '" .. tostring(class) .. "'", 3)
  end
  return e
end

--- Text symbol of a class: ✓ achieved, ↑ on track or maintaining, ➚ improving too slowly,
-- → stagnating or limited, ↓ going the wrong way, ? insufficient data, ● a dashboard colour.
function M.arrow(class)
  return entry(class).symbol
end

--- Plain-words label of a class, e.g. "On track", "Progress needs acceleration".
function M.label(class)
  return entry(class).label
end

--- Traffic-light colour of a class ("green", "yellow", "orange", "red" or "grey"), so that a report
-- can show symbol and colour together.
function M.colour(class)
  return entry(class).colour
end

--- Every class name, sorted (for reports and tests).
function M.classes()
  local out = {}
  for k in pairs(CLASSES) do
    out[#out + 1] = k
  end
  table.sort(out)
  return out
end

return M
