-- Argo CD resource actions for keywarden's AccessKey: "rotate" (rotate the key now, with grace).
local actions = {}
actions["rotate"] = {["disabled"] = obj.metadata.deletionTimestamp ~= nil}
return actions
