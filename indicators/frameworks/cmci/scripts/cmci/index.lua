--- The CMCI's arithmetic and the checks it makes of published figures (docs/cmci.md).
--
-- The portal publishes every score rounded to a few decimals (4), so a sum of published figures
-- is compared with a published total within what rounding allows: each of n rounded parts is at
-- most half a unit of the last decimal from its exact value, and so is the rounded total, so the
-- sum of the parts can be (n + 1) half units away from the total. Anything further is a
-- disagreement in the published data, and it is flagged, never scored.
local M = {}

--- How far the sum of n parts rounded to `decimals` can be from their rounded total.
function M.rounding_bound(n, decimals)
  return (n + 1) * 0.5 * 10 ^ -decimals
end

--- x with `decimals` decimals, as the portal prints it.
function M.fmt(x, decimals)
  return string.format("%." .. decimals .. "f", x)
end

--- The value of a series in exactly `year`, or nil: a published score is never carried forward
-- to a year the portal did not publish it for.
function M.value_in(series, year)
  for _, p in ipairs(series or {}) do
    if p.year == year then
      return p.value
    end
  end
  return nil
end

--- Checks one published pillar score. The indicator scores of a pillar are parts of it and never
-- negative, so the pillar cannot be below their sum by more than rounding (it may be above it:
-- the export lacks some indicators). Returns the problem in words, or nil.
function M.check_pillar(name, score, parts, decimals)
  if score < 0 or score > 100 then
    return string.format("published %s %s is outside 0-100", name, M.fmt(score, decimals))
  end
  local sum = 0
  for _, v in ipairs(parts) do
    sum = sum + v
  end
  if #parts > 0 and score < sum - M.rounding_bound(#parts, decimals) then
    return string.format("published %s %s is below the sum of its %d indicator scores, %s", name,
      M.fmt(score, decimals), #parts, M.fmt(sum, decimals))
  end
  return nil
end

--- The Overall Score of a year: the sum of the published scores of the pillars in the index that
-- year, compared with the published Overall Score.
--   pillars:   { {name =, score = published or nil, in_index = bool, problem = text or nil}, ... }
--   published: the published Overall Score, or nil
--   positive:  how many indicator scores above 0 the year has
-- Returns a group of the scoring contract: {score, n_scored, n_total, note}. The score is nil,
-- and the note says why, when a pillar of the index is not published or when a published figure
-- contradicts another (then the note starts with "data-quality flag").
function M.overall(pillars, published, positive, decimals)
  local sum, n, total, missing, problems = 0, 0, 0, {}, {}
  for _, p in ipairs(pillars) do
    if p.in_index then
      total = total + 1
      if p.score == nil then
        missing[#missing + 1] = p.name
      else
        sum, n = sum + p.score, n + 1
      end
    end
    if p.problem then
      problems[#problems + 1] = p.problem
    end
  end
  if published == 0 and positive > 0 then
    table.insert(problems, 1, string.format("published Overall Score %s with %d indicator scores above 0",
      M.fmt(0, decimals), positive))
  end
  local g = { n_scored = n, n_total = total }
  if #problems > 0 then
    g.note = "data-quality flag, not ranked: " .. table.concat(problems, "; ")
    return g
  end
  if #missing > 0 then
    g.note = "not computed: no published " .. table.concat(missing, ", ")
    return g
  end
  local s = M.fmt(sum, decimals)
  if published == nil then
    g.score = sum
    g.note = string.format("sum of %d published pillar scores; no published Overall Score", n)
    return g
  end
  local p = M.fmt(published, decimals)
  if math.abs(sum - published) > M.rounding_bound(n, decimals) then
    g.note = string.format("data-quality flag, not ranked: published Overall Score %s is not the sum of its %d pillar scores, %s",
      p, n, s)
    return g
  end
  g.score = sum
  if s == p then
    g.note = string.format("sum of %d published pillar scores = published Overall Score %s", n, p)
  else
    g.note = string.format("sum of %d published pillar scores %s; published Overall Score %s (within rounding)",
      n, s, p)
  end
  return g
end

return M
