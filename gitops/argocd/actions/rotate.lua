-- Rotate the AccessKey now: keywarden rotates when keywarden.io/rotate takes a value it has not
-- served yet (status.rotationRequest), exactly as after
-- kubectl annotate accesskey NAME keywarden.io/rotate=$(date +%s) --overwrite
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local request = os.date("!%Y-%m-%dT%H:%M:%SZ")
local previous = obj.metadata.annotations["keywarden.io/rotate"]
if previous ~= nil and string.sub(previous, 1, string.len(request)) == request then
  -- a second request within the same second must still be a new value
  request = previous .. "+"
end
obj.metadata.annotations["keywarden.io/rotate"] = request
return obj
