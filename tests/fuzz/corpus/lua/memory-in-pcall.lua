Llocal x = "x"
while true do pcall(function() x = x .. x end) end
