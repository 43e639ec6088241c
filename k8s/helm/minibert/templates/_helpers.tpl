{{/* Names and labels */}}
{{- define "minibert.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "minibert.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "minibert.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "minibert.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: minibert
{{- end }}

{{/* selector labels for one component: include "minibert.selectorLabels" (list . "inference") */}}
{{- define "minibert.selectorLabels" -}}
{{- $ctx := index . 0 -}}
app.kubernetes.io/name: {{ include "minibert.name" $ctx }}
app.kubernetes.io/instance: {{ $ctx.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "minibert.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "minibert.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* image reference: include "minibert.image" (list . .Values.images.inference); a digest pins it */}}
{{- define "minibert.image" -}}
{{- $ctx := index . 0 -}}
{{- $img := index . 1 -}}
{{- include "minibert.imageRef" (dict "repository" $img.repository "tag" (default $ctx.Chart.AppVersion $img.tag) "digest" $img.digest) }}
{{- end }}

{{/* repository@digest when a digest is given, else repository:tag */}}
{{- define "minibert.imageRef" -}}
{{- if .digest }}
{{- if not (regexMatch "^sha256:[0-9a-f]{64}$" .digest) }}
{{- fail (printf "image digest %q of %s is not sha256:<64 hex digits>" .digest .repository) }}
{{- end }}
{{- printf "%s@%s" .repository .digest }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}

{{/* Store */}}
{{- define "minibert.storeUri" -}}
{{- if .Values.store.prefix }}
{{- printf "s3://%s/%s" .Values.store.bucket (trimAll "/" .Values.store.prefix) }}
{{- else }}
{{- printf "s3://%s" .Values.store.bucket }}
{{- end }}
{{- end }}

{{- define "minibert.minioName" -}}
{{- printf "%s-minio" (include "minibert.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "minibert.storeEndpoint" -}}
{{- if .Values.store.endpoint }}
{{- .Values.store.endpoint }}
{{- else if .Values.minio.enabled }}
{{- printf "http://%s:%d" (include "minibert.minioName" .) (int .Values.minio.port) }}
{{- end }}
{{- end }}

{{- define "minibert.inferenceServiceAccountName" -}}
{{- if .Values.inference.serviceAccount.create }}
{{- default (printf "%s-inference" (include "minibert.fullname" .)) .Values.inference.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.inference.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* a shell word: single-quoted, with each ' written as '\'' so no value can end the quote */}}
{{- define "minibert.shellQuote" -}}
'{{ replace "'" "'\\''" (toString .) }}'
{{- end }}

{{/* the Secret the chart generates for the inference pods' read-only MinIO user */}}
{{- define "minibert.inferenceS3SecretName" -}}
{{- printf "%s-inference-s3" (include "minibert.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The inference pods' S3 credentials, as a dict like inference.credentials (existingSecret empty = none):
their own read-only Secret; with the bundled MinIO and none given, the generated one; the trainer's
write credentials only with inference.credentials.allowWriterCredentials.
*/}}
{{- define "minibert.inferenceCredentials" -}}
{{- $own := .Values.inference.credentials }}
{{- $writer := .Values.store.credentials }}
{{- $result := dict "existingSecret" "" }}
{{- if $own.existingSecret }}
{{- if and (eq $own.existingSecret $writer.existingSecret) (not $own.allowWriterCredentials) }}
{{- fail (printf "inference.credentials.existingSecret %q is store.credentials.existingSecret, the trainer's write credentials: give the inference pods a read-only Secret, or set inference.credentials.allowWriterCredentials=true" $own.existingSecret) }}
{{- end }}
{{- $result = $own }}
{{- else if .Values.minio.enabled }}
{{- $result = dict "existingSecret" (include "minibert.inferenceS3SecretName" .) "accessKeyIdKey" "AWS_ACCESS_KEY_ID" "secretAccessKeyKey" "AWS_SECRET_ACCESS_KEY" }}
{{- else if $writer.existingSecret }}
{{- if not $own.allowWriterCredentials }}
{{- fail "the inference pods would get store.credentials, the trainer's write credentials: set inference.credentials.existingSecret to a read-only Secret (or use IRSA), or set inference.credentials.allowWriterCredentials=true" }}
{{- end }}
{{- $result = $writer }}
{{- end }}
{{- toYaml $result }}
{{- end }}

{{- define "minibert.inferenceCredentialsEnv" -}}
{{- include "minibert.credentialsEnv" (include "minibert.inferenceCredentials" . | fromYaml) }}
{{- end }}

{{/* the Secret holding the API key: inference.apiKey.existingSecret, else the generated one */}}
{{- define "minibert.apiKeySecretName" -}}
{{- default (printf "%s-api-key" (include "minibert.fullname" .) | trunc 63 | trimSuffix "-") .Values.inference.apiKey.existingSecret }}
{{- end }}

{{/*
A random value generated at install and kept by upgrades: on an upgrade, the one already in Secret
$name under $key (a cluster lookup, made only then: a fresh install and helm template never need one).
include "minibert.keptRandom" (list . $name $key $length)
*/}}
{{- define "minibert.keptRandom" -}}
{{- $ctx := index . 0 -}}
{{- $name := index . 1 -}}
{{- $key := index . 2 -}}
{{- $existing := dict }}
{{- if $ctx.Release.IsUpgrade }}
{{- $existing = (lookup "v1" "Secret" $ctx.Release.Namespace $name) | default dict }}
{{- end }}
{{- $data := get $existing "data" | default dict }}
{{- if hasKey $data $key }}
{{- index $data $key | b64dec }}
{{- else }}
{{- randAlphaNum (int (index . 3)) }}
{{- end }}
{{- end }}

{{/* S3 credentials: only references to an existing Secret */}}
{{- define "minibert.storeCredentialsEnv" -}}
{{- include "minibert.credentialsEnv" .Values.store.credentials }}
{{- end }}

{{- define "minibert.credentialsEnv" -}}
{{- with . }}
{{- if .existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .secretAccessKeyKey }}
{{- end }}
{{- end }}
{{- end }}

{{- define "minibert.imagePullSecrets" -}}
{{- with .Values.images.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/* Trainer pieces shared by the training Job and the sweep */}}
{{- define "minibert.trainerImage" -}}
{{- if .Values.trainer.gpu.enabled }}
{{- include "minibert.image" (list . .Values.images.trainerCuda) }}
{{- else }}
{{- include "minibert.image" (list . .Values.images.trainer) }}
{{- end }}
{{- end }}

{{- define "minibert.trainerClaimName" -}}
{{- default (printf "%s-trainer-work" (include "minibert.fullname" .)) .Values.trainer.persistence.existingClaim }}
{{- end }}

{{- define "minibert.trainerResources" -}}
{{- $res := deepCopy .Values.trainer.resources }}
{{- if .Values.trainer.gpu.enabled }}
{{- $limits := default dict $res.limits }}
{{- $_ := set $limits .Values.trainer.gpu.resourceName (int .Values.trainer.gpu.count) }}
{{- $_ := set $res "limits" $limits }}
{{- end }}
{{- toYaml $res }}
{{- end }}

{{- define "minibert.trainerScheduling" -}}
{{- $nodeSelector := deepCopy .Values.trainer.nodeSelector }}
{{- $tolerations := .Values.trainer.tolerations }}
{{- if .Values.trainer.gpu.enabled }}
{{- $nodeSelector = merge (deepCopy .Values.trainer.gpu.nodeSelector) $nodeSelector }}
{{- $tolerations = concat .Values.trainer.tolerations .Values.trainer.gpu.tolerations }}
{{- end }}
{{- with $nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.trainer.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* the trainer pod's volumes: /work (PVC or emptyDir), /tmp, /cache, the script */}}
{{- define "minibert.trainerVolumes" -}}
- name: work
{{- if .Values.trainer.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "minibert.trainerClaimName" . }}
{{- else }}
  emptyDir: {}
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
- name: cache
  emptyDir:
    sizeLimit: 4Gi
- name: scripts
  configMap:
    name: {{ include "minibert.fullname" . }}-trainer-scripts
    defaultMode: 0555
{{- end }}

{{- define "minibert.trainerVolumeMounts" -}}
- name: work
  mountPath: /work
- name: tmp
  mountPath: /tmp
- name: cache
  mountPath: /cache
- name: scripts
  mountPath: /opt/minibert/scripts
  readOnly: true
{{- end }}

{{/* environment of the training script, without the run-specific variables */}}
{{- define "minibert.trainerEnv" -}}
- name: MINIBERT_STORE
  value: {{ include "minibert.storeUri" . | quote }}
- name: AWS_REGION
  value: {{ .Values.store.region | quote }}
{{- with (include "minibert.storeEndpoint" .) }}
- name: AWS_ENDPOINT_URL_S3
  value: {{ . | quote }}
{{- end }}
{{- include "minibert.storeCredentialsEnv" . }}
- name: TRAIN_INPUT
  value: {{ join " " .Values.trainer.input | quote }}
- name: PREPARE_ARGS
  value: {{ printf "--vocab-size %v --max-seq-len %v --val-fraction %v --seed %v" (int .Values.trainer.prepare.vocabSize) (int .Values.trainer.prepare.maxSeqLen) .Values.trainer.prepare.valFraction (int .Values.trainer.prepare.seed) | quote }}
{{- with .Values.trainer.javaOptions }}
- name: JDK_JAVA_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- with .Values.trainer.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* train options from a dict with optional epochs, maxSteps, batchSize, maxLr */}}
{{- define "minibert.trainArgs" -}}
{{- $args := list }}
{{- if not (kindIs "invalid" .epochs) }}{{- $args = append $args (printf "--epochs %d" (int .epochs)) }}{{- end }}
{{- if not (kindIs "invalid" .maxSteps) }}{{- $args = append $args (printf "--max-steps %d" (int .maxSteps)) }}{{- end }}
{{- if not (kindIs "invalid" .batchSize) }}{{- $args = append $args (printf "--batch-size %d" (int .batchSize)) }}{{- end }}
{{- if not (kindIs "invalid" .maxLr) }}{{- $args = append $args (printf "--max-lr %v" .maxLr) }}{{- end }}
{{- join " " $args }}
{{- end }}
