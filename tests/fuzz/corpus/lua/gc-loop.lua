Lsetmetatable({}, {__gc = function() while true do end end})
