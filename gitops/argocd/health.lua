-- Argo CD health check for keywarden's AccessKey, AccessKeyProvider and ClusterAccessKeyProvider.
-- Reads the Ready condition the way Flux and kubectl wait do: only once status.observedGeneration
-- has caught up with metadata.generation, so a fresh change never shows the previous verdict.
local hs = {}
-- Failures keywarden retries on its own and that usually clear without a person.
local transient = {
  Throttled = true, BackendUnavailable = true, KubernetesApiError = true, LimitExceeded = true,
  KeyNotUsable = true,
}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for keywarden to report status"
  return hs
end
if obj.status.observedGeneration == nil or obj.metadata.generation == nil
    or obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for keywarden to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    if condition.status == "True" then
      hs.status = "Healthy"
      for _, other in ipairs(obj.status.conditions) do
        if other.type == "Rotating" and other.status == "True" then
          -- a stalled rollout keeps the old key: the consumers need a person
          if other.reason == "RolloutStalled" then
            hs.status = "Degraded"
          else
            hs.status = "Progressing"
          end
          hs.message = (other.reason or "") .. ": " .. (other.message or "")
          return hs
        end
      end
    elseif transient[condition.reason] then
      hs.status = "Progressing"
    else
      hs.status = "Degraded"
    end
    hs.message = (condition.reason or "") .. ": " .. (condition.message or "")
    return hs
  end
end
hs.status = "Progressing"
hs.message = "Waiting for the Ready condition"
return hs
