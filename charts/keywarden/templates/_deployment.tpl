{{/*
One operator Deployment: (dict "root" $ "shard" nil) for the default instance, which serves the
AccessKeys without a keywarden.io/shard label, or (dict "root" $ "shard" <item of .Values.shards>).
*/}}
{{- define "keywarden.deployment" -}}
{{- $root := .root -}}
{{- $shard := .shard -}}
{{- $leaderElection := include "keywarden.leaderElection" $root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "keywarden.fullname" $root }}{{ with $shard }}-shard-{{ .name }}{{ end }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "keywarden.labels" $root | nindent 4 }}
spec:
  replicas: {{ $root.Values.replicas }}
  strategy:
    {{- if eq $leaderElection "true" }}
    type: RollingUpdate
    {{- else }}
    # without leader election two pods must never reconcile at once
    type: Recreate
    {{- end }}
  selector:
    matchLabels:
      {{- include "keywarden.podSelectorLabels" (dict "root" $root "shard" $shard) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "keywarden.podSelectorLabels" (dict "root" $root "shard" $shard) | nindent 8 }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $root.Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "keywarden.serviceAccountName" $root }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: keywarden
          image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag | default $root.Chart.AppVersion }}"
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          env:
            - name: KEYWARDEN_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: KEYWARDEN_WATCH_NAMESPACES
              value: {{ join "," $root.Values.watchNamespaces | quote }}
            - name: KEYWARDEN_RESYNC_INTERVAL
              value: {{ $root.Values.resyncInterval | quote }}
            {{- with $root.Values.backendCallsPerSecond }}
            - name: KEYWARDEN_BACKEND_CALLS_PER_SECOND
              {{- $limits := list }}
              {{- range $backend, $rate := . }}
              {{- $limits = append $limits (printf "%s=%v" $backend $rate) }}
              {{- end }}
              value: {{ join "," $limits | quote }}
            {{- end }}
            - name: KEYWARDEN_LEADER_ELECTION
              value: {{ $leaderElection | quote }}
            {{- with $shard }}
            # serves only AccessKeys labelled keywarden.io/shard={{ .name }}; its leader Lease is keywarden-leader-{{ .name }}
            - name: KEYWARDEN_SHARD
              value: {{ .name | quote }}
            {{- end }}
            {{- if $root.Values.shards }}
            # every instance, the default one too, holds a Lease per (provider, user) around creates and recoveries
            - name: KEYWARDEN_USER_LEASES
              value: "true"
            {{- end }}
            - name: KEYWARDEN_RECONCILE_THREADS
              value: {{ $root.Values.reconcileThreads | quote }}
            - name: KEYWARDEN_HEALTH_PORT
              value: {{ $root.Values.healthPort | quote }}
            - name: KEYWARDEN_METRICS_PORT
              value: "8080"
            - name: KEYWARDEN_MINIO_ADMIN_CALLS
              value: {{ $root.Values.minioAdminCalls | quote }}
            - name: JAVA_TOOL_OPTIONS
              value: {{ $root.Values.javaToolOptions | quote }}
            {{- with $root.Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          ports:
            - name: health
              containerPort: {{ $root.Values.healthPort }}
            - name: http-metrics
              containerPort: 8080
          livenessProbe:
            httpGet:
              path: /healthz
              port: health
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: health
            periodSeconds: 5
            failureThreshold: 3
          resources:
            {{- toYaml (($shard | default dict).resources | default $root.Values.resources) | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop:
                - ALL
          volumeMounts:
            # the JVM's temporary files (hsperfdata, native libraries) on a read-only root
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
Pod labels a Deployment selects on. A shard's pods carry another app.kubernetes.io/name, so the
default Deployment's selector (immutable, kept from before shards existed) never matches them.
*/}}
{{- define "keywarden.podSelectorLabels" -}}
{{- if .shard -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}-shard
app.kubernetes.io/instance: {{ .root.Release.Name }}
keywarden.io/shard: {{ .shard.name }}
{{- else -}}
{{ include "keywarden.selectorLabels" .root }}
{{- end -}}
{{- end -}}
