--- Aggregation: indicator scores into action-area, pillar and overall scores.
local M = {}

M.VERSION = "1"

--- Arithmetic mean of the numbers in a list; nil for an empty list.
function M.mean(values)
  if #values == 0 then
    return nil
  end
  local sum = 0
  for _, v in ipairs(values) do
    sum = sum + v
  end
  return sum / #values
end

--- Nested equal weights: an action area is the mean of its scored indicators, a pillar the mean
-- of its scored action areas, and the overall score the mean of the scored pillars (starter
-- framework, section C.1). Contextual indicators never count. A group with nothing scored below it
-- has no score, and says why.
-- @param framework table {pillars = {{id, action_areas = {{id, indicators = {id...}}}}}}
-- @param results table {[indicator id] = {score = number|nil, contextual = boolean}}
-- @return table {action_areas = {[id] = group}, pillars = {[id] = group}, overall = group}
function M.nested_mean(framework, results)
  local out = { action_areas = {}, pillars = {} }
  local pillar_scores = {}
  for _, pillar in ipairs(framework.pillars) do
    local area_scores = {}
    for _, area in ipairs(pillar.action_areas) do
      local scores, total = {}, 0
      for _, id in ipairs(area.indicators) do
        local r = results[id]
        if r and not r.contextual then
          total = total + 1
          if r.score then
            scores[#scores + 1] = r.score
          end
        end
      end
      local group = { score = M.mean(scores), n_scored = #scores, n_total = total }
      if not group.score then
        group.note = "no indicator with data"
      end
      out.action_areas[area.id] = group
      if group.score then
        area_scores[#area_scores + 1] = group.score
      end
    end
    local group = { score = M.mean(area_scores), n_scored = #area_scores,
                    n_total = #pillar.action_areas }
    if not group.score then
      group.note = "no action area with a score"
    end
    out.pillars[pillar.id] = group
    if group.score then
      pillar_scores[#pillar_scores + 1] = group.score
    end
  end
  out.overall = { score = M.mean(pillar_scores), n_scored = #pillar_scores,
                  n_total = #framework.pillars }
  if not out.overall.score then
    out.overall.note = "no pillar with a score"
  end
  return out
end

return M
