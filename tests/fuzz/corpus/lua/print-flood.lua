Lfor i = 1, 1e6 do print(string.rep("x", 1e4)) end
