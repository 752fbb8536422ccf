Lfor i3= 1, 1e6 do print(string.rep("x", 1e6)) end
