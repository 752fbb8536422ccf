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

return M
