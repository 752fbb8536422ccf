--- Filling a missing year of one series from the same series, always flagged as imputed.
--
-- COINr `impute_panel` (bluefoxr/COINr R/impute.R) offers "latest" (last observation carried
-- forward, with a `max_time` look-back) and "linear" (interpolation between the neighbouring
-- observations) [V]. The starter framework (section C.4) allows carrying the latest value forward for
-- up to 3 years (5 for census-based indicators), with a visible flag such as "carried forward 2022",
-- and forbids imputing from peer cities for official reporting; nothing here looks at other areas.
--
-- Series are lists of `{year = integer, value = number}`; entries without a numeric value are
-- skipped. Each function returns the value, what it refers to, and a final `imputed` flag: `true`
-- when the value was imputed, `false` when the year was observed. "No value" is `nil, reason`.
local M = {}

M.VERSION = "1"

local function is_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

local function check(series, year)
  if type(series) ~= "table" then
    error("series must be a list of {year =, value =}", 3)
  end
  if not is_number(year) then
    error("year must be a number", 3)
  end
end

--- Last observation carried forward: the value of `year` if observed, otherwise the latest
-- observation before it, if it is at most `max_years` older.
-- @param series table {{year =, value =}, ...}
-- @param year integer the year wanted
-- @param max_years integer|nil how many years a value may be carried (default 3, starter framework C.4)
-- @return number value, integer period_year (the year the value is from), string|nil note
--   ("carried forward from 2023", nil when observed), boolean imputed; or nil, reason
function M.locf(series, year, max_years)
  check(series, year)
  max_years = max_years or 3
  if not is_number(max_years) or max_years < 0 then
    error("max_years must be a number of years, 0 or more", 2)
  end
  local best
  for _, o in ipairs(series) do
    if type(o) == "table" and is_number(o.year) and is_number(o.value) and o.year <= year then
      if best == nil or o.year > best.year then
        best = o
      end
    end
  end
  if not best then
    return nil, string.format("no observation in or before %d", year)
  end
  if best.year == year then
    return best.value, best.year, nil, false
  end
  if year - best.year > max_years then
    return nil, string.format("the latest observation (%d) is more than %s years before %d",
      best.year, string.format("%g", max_years), year)
  end
  return best.value, best.year, string.format("carried forward from %d", best.year), true
end

--- Linear interpolation between the nearest observations before and after `year`:
-- v = v0 + (v1 − v0) × (year − y0) / (y1 − y0). The value of `year` itself if it was observed.
-- No extrapolation: a year before the first or after the last observation has no value.
-- @param series table {{year =, value =}, ...}
-- @param year integer the year wanted
-- @return number value, string|nil note ("interpolated between 2021 and 2023", nil when observed),
--   boolean imputed; or nil, reason
function M.interpolate(series, year)
  check(series, year)
  local before, after
  for _, o in ipairs(series) do
    if type(o) == "table" and is_number(o.year) and is_number(o.value) then
      if o.year == year then
        return o.value, nil, false
      elseif o.year < year and (before == nil or o.year > before.year) then
        before = o
      elseif o.year > year and (after == nil or o.year < after.year) then
        after = o
      end
    end
  end
  if not before then
    return nil, string.format("no observation before %d to interpolate from", year)
  end
  if not after then
    return nil, string.format("no observation after %d to interpolate towards", year)
  end
  local v = before.value + (after.value - before.value) * (year - before.year)
    / (after.year - before.year)
  return v, string.format("interpolated between %d and %d", before.year, after.year), true
end

return M
