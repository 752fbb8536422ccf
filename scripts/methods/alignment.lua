--- Self-assessment (readiness) scores from the questionnaire answers.
--
-- Starter framework, section B.0: each question is answered on a 0-4 maturity scale (0 not started,
-- 1 planned, 2 in progress, 3 implemented, 4 institutionalised and monitored); levels 3 and 4 need an
-- evidence link, without which the answer is capped at 2; the action-area readiness score is the mean
-- of its answers × 25 (0-100), and the dimension profile is the mean per dimension (POL, BUD, CAP,
-- DAT, PAR) across all questions. Readiness is kept separate from indicator performance (C.3).
local M = {}

M.VERSION = "1"

--- Dimension codes of the questionnaire and their names (indicators/assessment/questions.yml).
M.DIMENSIONS = {
  { id = "POL", name = "Policy and plan alignment" },
  { id = "BUD", name = "Budget" },
  { id = "CAP", name = "Institutional capacity" },
  { id = "DAT", name = "Data and monitoring" },
  { id = "PAR", name = "Partnerships" },
}

local function is_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

--- The effective level of an answer: the level given, capped at 2 when it is 3 or 4 without
-- evidence (B.0).
-- @param level integer 0-4
-- @param has_evidence boolean whether an evidence link was given
-- @return integer|nil level, string|nil reason
function M.effective_level(level, has_evidence)
  if not is_number(level) or level ~= math.floor(level) or level < 0 or level > 4 then
    return nil, "answer level " .. tostring(level) .. " is not a whole number from 0 to 4"
  end
  if level > 2 and not has_evidence then
    return 2, "capped at 2: levels 3 and 4 need evidence"
  end
  return level
end

-- The level of one answer entry: a number, or a table with `level`; nil for "not answered".
-- Returns false and a reason for an invalid level.
local function level_of(answer)
  local level = answer
  if type(answer) == "table" then
    level = answer.level
  end
  if level == nil or level == false then
    return nil
  end
  if not is_number(level) or level ~= math.floor(level) or level < 0 or level > 4 then
    return false, "answer level " .. tostring(level) .. " is not a whole number from 0 to 4"
  end
  return level
end

--- Readiness score of one action area: mean of the effective levels of its answered questions × 25.
-- @param answers table list of effective levels (0-4), or of tables with `level`; nil/false
--   entries or tables without `level` are unanswered
-- @return number|nil score 0-100, string|nil reason (no question answered, or an invalid level)
function M.action_area(answers)
  if type(answers) ~= "table" then
    error("answers must be a list of levels", 2)
  end
  local sum, n = 0, 0
  for _, a in pairs(answers) do
    local level, why = level_of(a)
    if level == false then
      return nil, why
    end
    if level then
      sum = sum + level
      n = n + 1
    end
  end
  if n == 0 then
    return nil, "no question answered"
  end
  return sum / n * 25
end

local function count_answered(answers)
  local n = 0
  for _, a in pairs(answers) do
    if level_of(a) then
      n = n + 1
    end
  end
  return n
end

--- Readiness per action area, per pillar (mean of its scored action areas) and overall (mean of the
-- scored pillars).
-- @param framework table {pillars = {{id =, action_areas = {{id =, questions = {id, ...}}}}}};
--   `questions` (or `n_questions`) gives the number of questions; without it, the number of answers
-- @param answers_by_area table {[action area id] = list of levels (see action_area)}
-- @return table {action_areas = {[id] = {score =, n_answered =, n_questions =, note =}},
--   pillars = {[id] = {score =, n_scored =, n_total =, n_answered =, n_questions =, note =}},
--   overall = {score =, n_scored =, n_total =, n_answered =, n_questions =, note =}}
function M.nested(framework, answers_by_area)
  if type(framework) ~= "table" or type(framework.pillars) ~= "table" then
    error("framework must have a list of pillars", 2)
  end
  answers_by_area = answers_by_area or {}
  local out = { action_areas = {}, pillars = {} }
  local overall = { n_scored = 0, n_total = 0, n_answered = 0, n_questions = 0 }
  local p_sum = 0
  for _, pillar in ipairs(framework.pillars) do
    local group = { n_scored = 0, n_total = 0, n_answered = 0, n_questions = 0 }
    local a_sum = 0
    for _, area in ipairs(pillar.action_areas or {}) do
      local answers = answers_by_area[area.id] or {}
      local n_questions = area.questions and #area.questions or area.n_questions or #answers
      local g = { n_answered = count_answered(answers), n_questions = n_questions }
      g.score, g.note = M.action_area(answers)
      if g.score then
        a_sum = a_sum + g.score
        group.n_scored = group.n_scored + 1
      end
      group.n_total = group.n_total + 1
      group.n_answered = group.n_answered + g.n_answered
      group.n_questions = group.n_questions + g.n_questions
      out.action_areas[area.id] = g
    end
    if group.n_scored > 0 then
      group.score = a_sum / group.n_scored
      p_sum = p_sum + group.score
      overall.n_scored = overall.n_scored + 1
    else
      group.note = "no action area with answers"
    end
    overall.n_total = overall.n_total + 1
    overall.n_answered = overall.n_answered + group.n_answered
    overall.n_questions = overall.n_questions + group.n_questions
    out.pillars[pillar.id] = group
  end
  if overall.n_scored > 0 then
    overall.score = p_sum / overall.n_scored
  else
    overall.note = "no pillar with answers"
  end
  out.overall = overall
  return out
end

--- Dimension profile: mean level × 25 per dimension, over every answer tagged with it (B.0).
-- @param answers table list of {question =, dimensions = {"POL", ...}, level =}
-- @return table {[dimension] = {score =, n =, lowest =}} for the dimensions that have answers
function M.dimensions(answers)
  if type(answers) ~= "table" then
    error("answers must be a list of {question =, dimensions =, level =}", 2)
  end
  local acc = {}
  for _, a in ipairs(answers) do
    local level = level_of(a)
    if level and type(a) == "table" and type(a.dimensions) == "table" then
      for _, dim in ipairs(a.dimensions) do
        local e = acc[dim] or { sum = 0, n = 0 }
        e.sum = e.sum + level
        e.n = e.n + 1
        if e.lowest == nil or level < e.lowest then
          e.lowest = level
        end
        acc[dim] = e
      end
    end
  end
  local out = {}
  for dim, e in pairs(acc) do
    out[dim] = { score = e.sum / e.n * 25, n = e.n, lowest = e.lowest }
  end
  return out
end

return M
