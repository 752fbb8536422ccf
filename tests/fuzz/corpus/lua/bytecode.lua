Lreturn load(string.dump(function() end))
