--- Derived indicators computed from raw data elements.
--
-- DHIS2 defines an indicator as numerator / denominator × factor, where the factor is the indicator
-- type (Percent = 100, Per 1,000 = 1000, Per 100,000 = 100000, Number = 1) [V, methods-and-platforms.md
-- §1.1]; the framework's `formula` is the same `{numerator, denominator, factor}` triple
-- (docs/framework-format.md). Years that cannot be computed are listed with the reason, never turned
-- into a zero.
local M = {}

M.VERSION = "1"

local function is_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

-- year -> observation, and year -> problem for duplicated or non-numeric entries
local function by_year(series, what)
  if type(series) ~= "table" then
    error(what .. " must be a list of {year =, value =}", 3)
  end
  local map, bad = {}, {}
  for _, o in ipairs(series) do
    if type(o) ~= "table" or not is_number(o.year) then
      error(what .. " has an entry without a numeric year", 3)
    end
    if map[o.year] or bad[o.year] then
      map[o.year] = nil
      bad[o.year] = "more than one " .. what .. " value"
    elseif not is_number(o.value) then
      bad[o.year] = what .. " is not a number"
    else
      map[o.year] = o
    end
  end
  return map, bad
end

--- Ratio of two series, year by year: value = factor × numerator / denominator.
-- A year is computed only when both series have a numeric value for it and the denominator is not 0;
-- every other year that appears in either series is listed in `problems` with the reason.
-- @param numerator table {{year =, value =, period = optional}, ...}
-- @param denominator table same shape
-- @param factor number|nil multiplier (default 1; 100 for a percentage, 100000 per 100,000)
-- @return table series {{year =, value =, period =}, ...} oldest first (period from the numerator,
--   when it has one), table problems {{year =, reason =}, ...} oldest first ({} when none)
function M.ratio(numerator, denominator, factor)
  factor = factor == nil and 1 or factor
  if not is_number(factor) then
    error("factor must be a number", 2)
  end
  local num, num_bad = by_year(numerator, "numerator")
  local den, den_bad = by_year(denominator, "denominator")
  local years, seen = {}, {}
  for _, t in ipairs({ num, num_bad, den, den_bad }) do
    for y in pairs(t) do
      if not seen[y] then
        seen[y] = true
        years[#years + 1] = y
      end
    end
  end
  table.sort(years)
  local out, problems = {}, {}
  for _, y in ipairs(years) do
    local reason
    if num_bad[y] then
      reason = num_bad[y]
    elseif den_bad[y] then
      reason = den_bad[y]
    elseif not num[y] then
      reason = "no numerator value for this year"
    elseif not den[y] then
      reason = "no denominator value for this year"
    elseif den[y].value == 0 then
      reason = "denominator is 0"
    end
    if reason then
      problems[#problems + 1] = { year = y, reason = reason }
    else
      out[#out + 1] = { year = y, value = factor * num[y].value / den[y].value,
                        period = num[y].period }
    end
  end
  return out, problems
end

return M
