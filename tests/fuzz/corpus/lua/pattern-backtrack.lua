Lreturn string.find(string.rep("a", 4096), "a*a*a*a*b")
