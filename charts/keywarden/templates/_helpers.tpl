{{/* Name of every object: the release name, suffixed with the chart name unless it holds it. */}}
{{- define "keywarden.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "keywarden.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "keywarden.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "keywarden.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "keywarden.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "keywarden.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The operator's ServiceAccount as an RBAC subject. */}}
{{- define "keywarden.subject" -}}
- kind: ServiceAccount
  name: {{ include "keywarden.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end -}}

{{/* "true" when more than one replica runs or leader election is asked for. */}}
{{- define "keywarden.leaderElection" -}}
{{- if or .Values.leaderElection (gt (int .Values.replicas) 1) -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{/*
A keywarden resource from a values item: (list $ kind item namespaced).
*/}}
{{- define "keywarden.resource" -}}
{{- $root := index . 0 -}}
{{- $kind := index . 1 -}}
{{- $item := index . 2 -}}
{{- $namespaced := index . 3 -}}
apiVersion: keywarden.io/v1alpha1
kind: {{ $kind }}
metadata:
  name: {{ $item.name }}
  {{- if $namespaced }}
  namespace: {{ default $root.Release.Namespace $item.namespace }}
  {{- end }}
  labels:
    {{- merge (dict) (default (dict) $item.labels) (include "keywarden.labels" $root | fromYaml) | toYaml | nindent 4 }}
  {{- with $item.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- toYaml $item.spec | trim | nindent 2 }}
{{- end -}}
