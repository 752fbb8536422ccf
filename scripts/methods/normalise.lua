--- Normalisation: turning an indicator's value into a 0-100 score.
--
-- Every function is pure: it takes numbers and returns a score, or nil and a reason in plain
-- words. Higher scores are always better, whatever the indicator's direction.
local M = {}

M.VERSION = "1"

--- Goalposts min-max between fixed bounds, clamped to 0-100 (the SDSN SDG Index and UN-Habitat
-- CPI way): score = 100 * (x - worst) / (best - worst). Because worst > best for indicators where
-- lower is better, the same formula serves both directions; a value beyond `best` scores 100 and
-- one beyond `worst` scores 0. For `higher_to_cap` indicators `best` is the cap.
-- @param x number the value
-- @param worst number the value that scores 0
-- @param best number the value that scores 100
-- @return number|nil score, string|nil reason
function M.minmax(x, worst, best)
  if type(x) ~= "number" or x ~= x then
    return nil, "no numeric value"
  end
  if type(worst) ~= "number" or type(best) ~= "number" then
    return nil, "no normalisation bounds"
  end
  if worst == best then
    return nil, "worst and best bounds are equal"
  end
  local score = 100 * (x - worst) / (best - worst)
  if score < 0 then
    score = 0
  elseif score > 100 then
    score = 100
  end
  return score
end

local function is_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

-- +1 when higher values are better, -1 when lower values are better; nil for anything else.
local function direction_sign(direction)
  if direction == nil or direction == "higher" or direction == "higher_to_cap" then
    return 1
  elseif direction == "lower" then
    return -1
  end
  return nil
end

-- The finite numbers of a list (other entries, e.g. false for "no data", are left out).
local function numbers_of(values)
  if type(values) ~= "table" then
    error("values must be a list of numbers", 3)
  end
  local out = {}
  for _, v in ipairs(values) do
    if is_number(v) then
      out[#out + 1] = v
    end
  end
  return out
end

--- Distance to target on a 0-100 scale: COINr `n_dist2targ` with `cap_max = TRUE`
-- (bluefoxr/COINr R/normalise.R), with fixed goalposts instead of the data's min or max:
-- score = 100 * (x - worst) / (target - worst), capped at 100 and floored at 0.
-- COINr writes it (x - xmin)/(xtarg - xmin) for direction +1 and (xmax - x)/(xmax - xtarg) for
-- direction -1; with `worst` in place of xmin/xmax both are the same expression, so the direction
-- follows from worst vs target (worst < target: higher is better). Choice made here: COINr takes
-- xmin/xmax from the data, so its scores are never below 0; with a fixed `worst` a value beyond it
-- would be negative, and we floor it at 0 so that scores stay in 0-100. The result equals
-- `minmax(x, worst, target)`: the difference is what the upper goalpost means (a dated target,
-- e.g. the 2030 one, instead of the framework's `best` bound).
-- @param x number the value
-- @param worst number the value that scores 0
-- @param target number the target value, which scores 100
-- @return number|nil score, string|nil reason
function M.distance_to_target(x, worst, target)
  if not is_number(x) then
    return nil, "no numeric value"
  end
  if not is_number(worst) or not is_number(target) then
    return nil, "no worst value or no target"
  end
  if worst == target then
    return nil, "worst value and target are equal"
  end
  local score = 100 * (x - worst) / (target - worst)
  if score < 0 then
    score = 0
  elseif score > 100 then
    score = 100
  end
  return score
end

--- Standard score of `x` against a set of values: z = (x - mean) / sd, where sd is the SAMPLE
-- standard deviation (divisor n - 1), as COINr's `n_zscore` (which calls R's `stats::sd`). The result
-- is a plain z (0 = the mean, 1 = one standard deviation above it), not a 0-100 score.
-- `direction = "lower"` flips the sign so that a higher z is always better (COINr multiplies
-- direction -1 indicators by -1 before normalising). `x` need not be one of `values`.
--
-- There is no `zscore_score`: COINr only rescales z to a chosen mean and sd (`m_sd`), which is not
-- bounded, and none of our sources documents a mapping of z onto 0-100. Use `percentile_rank` for a
-- bounded relative score.
-- @param x number the value
-- @param values table list of the values of the comparison group (at least 2 numbers)
-- @param direction string|nil "higher" (default) or "lower"
-- @return number|nil z, string|nil reason
function M.zscore(x, values, direction)
  local sign = direction_sign(direction)
  if not sign then
    error("direction must be 'higher' or 'lower'", 2)
  end
  if not is_number(x) then
    return nil, "no numeric value"
  end
  local v = numbers_of(values)
  local n = #v
  if n < 2 then
    return nil, "a z-score needs at least 2 values to compare with"
  end
  local sum = 0
  for i = 1, n do
    sum = sum + v[i]
  end
  local mean = sum / n
  local ss = 0
  for i = 1, n do
    ss = ss + (v[i] - mean) ^ 2
  end
  local sd = math.sqrt(ss / (n - 1))
  if sd == 0 then
    return nil, "all values are equal"
  end
  return sign * (x - mean) / sd
end

--- Percentile rank on 0-100 where the best value scores 100 and the worst 0: COINr `n_prank`,
-- (rank - 1) / (n - 1) * 100 with "min" ranks for ties (tied values share the lowest rank), after
-- flipping lower-is-better values. `values` is the comparison group; `x` is added to it when it is not
-- already one of them.
-- @param x number the value
-- @param values table list of the group's values
-- @param direction string "higher" (default) or "lower"
-- @return number|nil score, string|nil reason
function M.percentile_rank(x, values, direction)
  local sign = direction_sign(direction)
  if not sign then
    error("direction must be 'higher' or 'lower'", 2)
  end
  if not is_number(x) then
    return nil, "no numeric value"
  end
  local v = numbers_of(values)
  local present = false
  for i = 1, #v do
    if v[i] == x then
      present = true
      break
    end
  end
  if not present then
    v[#v + 1] = x
  end
  local n = #v
  if n < 2 then
    return nil, "a percentile rank needs at least 2 values"
  end
  local worse = 0
  for i = 1, n do
    if sign * v[i] < sign * x then
      worse = worse + 1
    end
  end
  -- rank with ties at their minimum = 1 + number of strictly worse values
  return 100 * worse / (n - 1)
end

return M
