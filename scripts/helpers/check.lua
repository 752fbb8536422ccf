--- Assertions for Lua tests of methods and city adaptations.
--
-- Each function raises an error that points at the caller's line when the check fails, so a
-- failing test reads `tests/lua/normalise_test.lua:12: expected 98, got 97.5`.
local M = {}

local function show(v)
  if type(v) == "string" then
    return string.format("%q", v)
  end
  return tostring(v)
end

--- Fails unless actual == expected.
function M.equal(actual, expected, what)
  if actual ~= expected then
    error(string.format("%sexpected %s, got %s", what and (what .. ": ") or "", show(expected),
      show(actual)), 2)
  end
end

--- Fails unless |actual - expected| <= tolerance (default 1e-9).
function M.near(actual, expected, tolerance, what)
  tolerance = tolerance or 1e-9
  if type(actual) ~= "number" or math.abs(actual - expected) > tolerance then
    error(string.format("%sexpected %s (within %g), got %s", what and (what .. ": ") or "",
      show(expected), tolerance, show(actual)), 2)
  end
end

--- Fails unless v is nil or false.
function M.is_nil(v, what)
  if v ~= nil then
    error(string.format("%sexpected nil, got %s", what and (what .. ": ") or "", show(v)), 2)
  end
end

--- Fails unless calling fn(...) raises an error whose message contains `fragment`.
function M.fails(fragment, fn, ...)
  local ok, msg = pcall(fn, ...)
  if ok then
    error("expected an error containing " .. show(fragment) .. ", but the call succeeded", 2)
  end
  if not string.find(tostring(msg), fragment, 1, true) then
    error("expected an error containing " .. show(fragment) .. ", got " .. show(msg), 2)
  end
end

return M
