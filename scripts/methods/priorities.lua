--- Priority action areas: which areas should the city act on first, and why.
--
-- This file is a default meant to be replaced by a city's own: copy it into the city overlay and
-- change `M.DEFAULTS` (or pass `options`), or the formula itself. No source prescribes a formula.
-- methods-and-platforms.md §10 suggests combining "gap to target × trend class × plan coverage";
-- ESCAP lists indicators to "accelerate" or "reverse", SDSN shows red dashboards. The default here
-- is a weighted sum of four gaps, each 0-100 (higher = more reason to act):
--
--     performance = 100 − action-area score
--     progress    = 100 × mean penalty of the progress classes of the core indicators
--                   (penalty by the class's colour: green 0, yellow 0.5, orange 0.75, red 1;
--                   "insufficient data" is left out)
--     target      = 100 × mean `target_gap` of the core indicators (share of the distance to the
--                   target still to go, clamped to 0-1)
--     readiness   = 100 − self-assessment readiness (from `alignment`, or from `answers`)
--
--     base     = Σ c_k × gap_k / Σ c_k over the gaps that can be computed
--     priority = base × weight / (largest weight among the areas)
--
-- with c = performance 0.4, progress 0.3, target 0.1, readiness 0.2. A sum rather than the product
-- of §10 so that one missing or zero gap does not hide the others. Dividing by the largest weight
-- keeps the priority within 0-100 and orders areas exactly as base × weight would. An area with none
-- of the four gaps has no priority and comes last. Ties are broken by id. The readiness gap is used
-- only to rank: the readiness score itself stays separate from performance, as starter-framework.md
-- C.3 asks.
--
-- An area none of whose indicators has data is not ranked at all (`no_data = true`, no priority, no
-- rank, after the ranked ones, by id): the self-assessment alone must not make it a top priority
-- over areas whose data show a problem. Reports list it under "no data yet". An area with no
-- applicable indicator (all not applicable, or none given) is ranked as before.
local progress = require("methods.progress")
local alignment = require("methods.alignment")

local M = {}

M.VERSION = "1"

M.DEFAULTS = {
  coefficients = { performance = 0.4, progress = 0.3, target = 0.1, readiness = 0.2 },
  colour_penalty = { green = 0, yellow = 0.5, orange = 0.75, red = 1 },
  low_level = 1,        -- answers at or below this level are named in the reasons
  core_only = true,     -- progress and target gaps from core indicators only
}

--- Words for the questionnaire dimensions, as used in reasons ("budget alignment at level 1").
M.DIMENSION_WORDS = {
  POL = "policy alignment",
  BUD = "budget alignment",
  CAP = "institutional capacity",
  DAT = "data and monitoring",
  PAR = "partnerships",
}
local DIMENSION_ORDER = { POL = 1, BUD = 2, CAP = 3, DAT = 4, PAR = 5 }

local COMPONENTS = { "performance", "progress", "target", "readiness" }

local function is_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

local function clamp(x, lo, hi)
  if x < lo then
    return lo
  elseif x > hi then
    return hi
  end
  return x
end

local function whole(x)
  return string.format("%.0f", x)
end

local function merged(options)
  options = options or {}
  local o = {}
  for k, v in pairs(M.DEFAULTS) do
    o[k] = v
  end
  for k, v in pairs(options) do
    o[k] = v
  end
  local c = {}
  for k, v in pairs(M.DEFAULTS.coefficients) do
    c[k] = v
  end
  for k, v in pairs(options.coefficients or {}) do
    if not is_number(v) or v < 0 then
      error("coefficient '" .. tostring(k) .. "' must be a number, 0 or more", 3)
    end
    c[k] = v
  end
  o.coefficients = c
  local p = {}
  for k, v in pairs(M.DEFAULTS.colour_penalty) do
    p[k] = v
  end
  for k, v in pairs(options.colour_penalty or {}) do
    p[k] = v
  end
  o.colour_penalty = p
  return o
end

local function plural(n, word)
  return n == 1 and word or (word .. "s")
end

-- Whether an indicator entry has any data: a value, a score, a progress class or a target gap.
local function has_data(ind)
  return type(ind) == "table" and (ind.has_data == true or is_number(ind.value)
    or is_number(ind.score) or ind.class ~= nil or is_number(ind.target_gap))
end

-- The number of indicators of an area when none of them has data, else nil.
local function without_data(area)
  local inds = area.indicators
  if type(inds) ~= "table" or #inds == 0 then
    return nil
  end
  for _, ind in ipairs(inds) do
    if has_data(ind) then
      return nil
    end
  end
  return #inds
end

-- The dimensions of an answer, from `dimensions` (list) or `dimension` (string or list).
local function dimensions_of(answer)
  local d = answer.dimensions or answer.dimension
  if type(d) == "string" then
    return { d }
  elseif type(d) == "table" then
    return d
  end
  return {}
end

-- Gaps and reasons of one area.
local function assess(area, o)
  local comps, reasons = {}, {}
  local what = o.core_only and "core indicator" or "indicator"

  if is_number(area.score) then
    comps.performance = 100 - clamp(area.score, 0, 100)
    reasons[#reasons + 1] = "performance score " .. whole(area.score) .. " of 100"
  end

  local known, off, red, penalty_sum = 0, 0, 0, 0
  local n_gap, gap_sum = 0, 0
  for _, ind in ipairs(area.indicators or {}) do
    if ind.core or not o.core_only then
      if ind.class ~= nil then
        local colour = progress.colour(ind.class)
        local penalty = o.colour_penalty[colour]
        if colour ~= "grey" and is_number(penalty) then
          known = known + 1
          penalty_sum = penalty_sum + penalty
          if penalty > 0 then
            off = off + 1
          end
          if colour == "red" then
            red = red + 1
          end
        end
      end
      if is_number(ind.target_gap) then
        n_gap = n_gap + 1
        gap_sum = gap_sum + clamp(ind.target_gap, 0, 1)
      end
    end
  end
  if known > 0 then
    comps.progress = 100 * penalty_sum / known
    if off > 0 then
      reasons[#reasons + 1] = string.format("%d of %d %s off track", off, known,
        plural(known, what))
    else
      reasons[#reasons + 1] = string.format("%s %d %s with a trend on track",
        known == 1 and "the" or "all", known, plural(known, what))
    end
    if red > 0 then
      reasons[#reasons + 1] = string.format("%d of %d %s going the wrong way", red, known,
        plural(known, what))
    end
  end
  if n_gap > 0 then
    comps.target = 100 * gap_sum / n_gap
    reasons[#reasons + 1] = string.format(
      "on average %s%% of the distance to the targets still to go (%d %s)",
      whole(comps.target), n_gap, plural(n_gap, what))
  end

  local readiness = area.alignment
  if not is_number(readiness) and type(area.answers) == "table" and #area.answers > 0 then
    readiness = alignment.action_area(area.answers)
  end
  if is_number(readiness) then
    comps.readiness = 100 - clamp(readiness, 0, 100)
    reasons[#reasons + 1] = "self-assessment readiness " .. whole(readiness) .. " of 100"
  end

  -- the weakest answers, per dimension
  local lowest = {}
  for _, a in ipairs(area.answers or {}) do
    if type(a) == "table" and is_number(a.level) and a.level <= o.low_level then
      for _, dim in ipairs(dimensions_of(a)) do
        local e = lowest[dim]
        local q = tostring(a.question or "")
        if e == nil or a.level < e.level or (a.level == e.level and q < e.question) then
          lowest[dim] = { level = a.level, question = q }
        end
      end
    end
  end
  local dims = {}
  for dim in pairs(lowest) do
    dims[#dims + 1] = dim
  end
  table.sort(dims, function(x, y)
    local lx, ly = lowest[x].level, lowest[y].level
    if lx ~= ly then
      return lx < ly
    end
    local ox, oy = DIMENSION_ORDER[x] or 99, DIMENSION_ORDER[y] or 99
    if ox ~= oy then
      return ox < oy
    end
    return x < y
  end)
  for _, dim in ipairs(dims) do
    local e = lowest[dim]
    local text = (M.DIMENSION_WORDS[dim] or dim) .. " at level " .. whole(e.level)
    if e.question ~= "" then
      text = text .. " (" .. e.question .. ")"
    end
    reasons[#reasons + 1] = text
  end

  if comps.performance == nil and (comps.progress or comps.target or comps.readiness) then
    reasons[#reasons + 1] = "no performance score"
  end
  if comps.readiness == nil and (comps.performance or comps.progress or comps.target) then
    reasons[#reasons + 1] = "no self-assessment answers"
  end
  return comps, reasons
end

--- Ranks action areas by priority (higher = act first).
-- @param areas table list of {id =, name =, pillar =, score = 0-100|nil, alignment = 0-100|nil,
--   weight = number (default 1), indicators = {{id =, core =, score =, target_gap = 0-1|nil,
--   class = progress class|nil}}, answers = {{question =, dimensions = {"BUD", ...}, level =}}}
-- @param options table|nil overrides of M.DEFAULTS: {coefficients = {performance =, progress =,
--   target =, readiness =}, colour_penalty = {green =, yellow =, orange =, red =}, low_level =,
--   core_only =}
-- @return table ordered list of {id =, name =, pillar =, rank =, priority = 0-100|nil,
--   components = {performance =, progress =, target =, readiness =}, reasons = {string, ...},
--   no_data = true|nil}; areas with no_data come last, without priority or rank
function M.rank(areas, options)
  if type(areas) ~= "table" then
    error("areas must be a list", 2)
  end
  local o = merged(options)
  local max_weight = 0
  for i, area in ipairs(areas) do
    if type(area) ~= "table" or type(area.id) ~= "string" then
      error("area " .. i .. " has no id", 2)
    end
    local w = area.weight == nil and 1 or area.weight
    if not is_number(w) or w < 0 then
      error("weight of area '" .. area.id .. "' must be a number, 0 or more", 2)
    end
    if w > max_weight then
      max_weight = w
    end
  end
  if max_weight == 0 then
    max_weight = 1
  end

  local out, unranked = {}, {}
  for _, area in ipairs(areas) do
    local n_none = without_data(area)
    if n_none then
      local reasons = { string.format("none of its %d %s has data yet", n_none,
        plural(n_none, "indicator")) }
      local readiness = area.alignment
      if not is_number(readiness) and type(area.answers) == "table" and #area.answers > 0 then
        readiness = alignment.action_area(area.answers)
      end
      if is_number(readiness) then
        reasons[#reasons + 1] = "self-assessment readiness " .. whole(readiness)
          .. " of 100 (not ranked on the self-assessment alone)"
      end
      unranked[#unranked + 1] = { id = area.id, name = area.name, pillar = area.pillar,
                                  components = {}, reasons = reasons, no_data = true }
      goto continue
    end
    local comps, reasons = assess(area, o)
    local sum, sc = 0, 0
    for _, k in ipairs(COMPONENTS) do
      local c = o.coefficients[k] or 0
      if comps[k] ~= nil and c > 0 then
        sum = sum + c * comps[k]
        sc = sc + c
      end
    end
    local weight = area.weight == nil and 1 or area.weight
    local priority
    if sc > 0 then
      priority = (sum / sc) * weight / max_weight
      if weight ~= 1 then
        reasons[#reasons + 1] = "weight " .. string.format("%g", weight) .. " set by the city"
      end
    else
      reasons = { "no score, progress class or self-assessment to set a priority" }
    end
    out[#out + 1] = { id = area.id, name = area.name, pillar = area.pillar, priority = priority,
                      components = comps, reasons = reasons }
    ::continue::
  end
  table.sort(out, function(a, b)
    if a.priority ~= nil and b.priority ~= nil then
      if a.priority ~= b.priority then
        return a.priority > b.priority
      end
    elseif a.priority ~= nil or b.priority ~= nil then
      return a.priority ~= nil
    end
    return a.id < b.id
  end)
  for i, entry in ipairs(out) do
    entry.rank = i
  end
  table.sort(unranked, function(a, b) return a.id < b.id end)
  for _, entry in ipairs(unranked) do
    out[#out + 1] = entry
  end
  return out
end

return M
