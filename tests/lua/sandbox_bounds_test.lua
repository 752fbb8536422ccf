-- The sandbox's bounded table.insert, table.remove and table.move (engine/lua/sandbox_bounds.c)
-- do what the Lua 5.4 manual (§6.6) says of the standard ones, and the guarded pattern functions
-- return what the standard ones return; the limits themselves are tested in
-- tests/e2e/sandbox_limits.sh.
local check = require("helpers.check")

local T = {}

local function joined(t, n)
  local parts = {}
  for i = 1, n or #t do parts[i] = tostring(t[i]) end
  return table.concat(parts, ",")
end

function T.insert_appends_and_shifts()
  local t = { "a", "b", "c" }
  table.insert(t, "d") -- appended at #t + 1 = 4
  check.equal(joined(t), "a,b,c,d")
  table.insert(t, 1, "z") -- a b c d shift up by one
  check.equal(joined(t), "z,a,b,c,d")
  table.insert(t, 6, "e") -- position #t + 1 is allowed
  check.equal(joined(t), "z,a,b,c,d,e")
  table.insert(t, 3, "m")
  check.equal(joined(t), "z,a,m,b,c,d,e")
end

function T.insert_refuses_bad_positions_and_counts()
  local t = { 1, 2 }
  check.fails("position out of bounds", table.insert, t, 0, "x")
  check.fails("position out of bounds", table.insert, t, 4, "x") -- #t + 2
  check.fails("wrong number of arguments to 'insert'", table.insert, t, 1, 2, 3)
  check.equal(joined(t), "1,2")
end

function T.remove_returns_and_shifts()
  local t = { "a", "b", "c", "d" }
  check.equal(table.remove(t), "d")
  check.equal(joined(t), "a,b,c")
  check.equal(table.remove(t, 1), "a")
  check.equal(joined(t), "b,c")
  check.is_nil(table.remove(t, 3)) -- #t + 1: removes t[3], which is nil
  check.equal(joined(t), "b,c")
  check.is_nil(table.remove({})) -- an empty list: nil
  check.fails("position out of bounds", table.remove, t, 5)
end

function T.move_forward_backward_and_across()
  local t = { 1, 2, 3, 4, 5 }
  table.move(t, 1, 3, 3) -- overlapping, destination after the source: 1 2 1 2 3
  check.equal(joined(t), "1,2,1,2,3")
  t = { 1, 2, 3, 4, 5 }
  table.move(t, 3, 5, 1) -- overlapping, destination before: 3 4 5 4 5
  check.equal(joined(t), "3,4,5,4,5")
  local dest = table.move({ "x", "y" }, 1, 2, 2, { "a" })
  check.equal(joined(dest), "a,x,y")
  check.equal(joined(table.move({ 1 }, 1, 0, 1, { 9 })), "9") -- e < f moves nothing
  check.fails("too many elements to move", table.move, {}, -1, math.maxinteger, 1)
  check.fails("destination wrap around", table.move, {}, 1, 2, math.maxinteger)
end

function T.metamethods_apply()
  -- reads through __index and writes through __newindex, like the standard functions
  local log = {}
  local src = setmetatable({}, { __index = function(_, k) return k * 10 end })
  local dst = setmetatable({}, { __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. v end })
  table.move(src, 1, 3, 1, dst)
  check.equal(table.concat(log, " "), "1=10 2=20 3=30")
  local n = setmetatable({}, { __len = function() return 2 end })
  table.insert(n, "third") -- #n + 1 = 3
  check.equal(rawget(n, 3), "third")
end

function T.sort_still_sorts()
  local t = { 3, 1, 2 }
  table.sort(t)
  check.equal(joined(t), "1,2,3")
  table.sort(t, function(a, b) return a > b end)
  check.equal(joined(t), "3,2,1")
end

function T.patterns_return_what_lua_returns()
  local s, e = ("hello world"):find("o w")
  check.equal(s, 5)
  check.equal(e, 7)
  check.equal(("a.b"):find(".", 1, true), 2) -- plain: the dot itself
  check.equal(("  x  "):match("^%s*(.-)%s*$"), "x")
  local words = {}
  for w in ("one two three"):gmatch("%a+") do words[#words + 1] = w end
  check.equal(table.concat(words, "|"), "one|two|three")
  local out, n = ("a-b-c"):gsub("%-", "+")
  check.equal(out, "a+b+c")
  check.equal(n, 2)
  check.equal(("[x]"):gsub("%b[]", "y"), "y")
end

return T
