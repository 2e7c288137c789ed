{{/*
Resource name of a component: <release>-<component>, at most 63 characters.
Usage: include "cetate.fullname" (list $ $name)
*/}}
{{- define "cetate.fullname" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- printf "%s-%s" $root.Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Selector labels of a component (stable across upgrades: never add to them).
Usage: include "cetate.selectorLabels" (list $ $name)
*/}}
{{- define "cetate.selectorLabels" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ $name }}
{{- end -}}

{{/*
All labels of a component's resources.
Usage: include "cetate.labels" (list $ $name)
*/}}
{{- define "cetate.labels" -}}
{{- $root := index . 0 -}}
{{ include "cetate.selectorLabels" . }}
app.kubernetes.io/part-of: cetate
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
Environment variables of one component: the shared `connections` it `uses`, then its own `env`
and `envFromSecrets`.
Usage: include "cetate.env" (list $ $name $cfg)
*/}}
{{- define "cetate.env" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $cfg := index . 2 -}}
{{- $conn := $root.Values.connections -}}
{{- if $cfg.uses.database }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $conn.database.existingSecret }}
      key: {{ $conn.database.key }}
{{- end }}
{{- if $cfg.uses.amqp }}
- name: AMQP_URL
  valueFrom:
    secretKeyRef:
      name: {{ $conn.amqp.existingSecret }}
      key: {{ $conn.amqp.key }}
{{- end }}
{{- if $cfg.uses.s3 }}
- name: S3_ENDPOINT
  value: {{ $conn.s3.endpoint | quote }}
- name: S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $conn.s3.existingSecret }}
      key: {{ $conn.s3.accessKeyKey }}
- name: S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $conn.s3.existingSecret }}
      key: {{ $conn.s3.secretKeyKey }}
{{- end }}
{{- if $cfg.uses.keycloak }}
- name: KEYCLOAK_URL
  value: {{ $conn.keycloak.url | quote }}
{{- end }}
{{- if $cfg.uses.anaf }}
- name: ANAF_BASE_URL
  value: {{ $conn.anaf.baseUrl | quote }}
- name: ANAF_OAUTH_URL
  value: {{ $conn.anaf.oauthUrl | quote }}
{{- with $conn.anaf.redirectUri }}
- name: ANAF_REDIRECT_URI
  value: {{ . | quote }}
{{- end }}
- name: ANAF_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ $conn.anaf.existingSecret }}
      key: {{ $conn.anaf.clientIdKey }}
- name: ANAF_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $conn.anaf.existingSecret }}
      key: {{ $conn.anaf.clientSecretKey }}
{{- end }}
- name: OTEL_SERVICE_NAME
  value: {{ $cfg.env.OTEL_SERVICE_NAME | default $name | quote }}
{{- range $key, $value := $cfg.env }}
{{- if ne $key "OTEL_SERVICE_NAME" }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- range $key, $ref := $cfg.envFromSecrets }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secret }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}
