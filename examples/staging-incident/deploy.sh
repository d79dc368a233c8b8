#!/usr/bin/env bash
# The staging deploy as it was run on 2025-09-07.
set -euo pipefail

PROJECT_ID=netra-staging-incident
REGION=us-central1

gcloud run deploy netra-backend-staging \
  --project="${PROJECT_ID}" \
  --region="${REGION}" \
  --image="us-docker.pkg.dev/${PROJECT_ID}/netra/backend:2025-09-07" \
  --set-env-vars=ENVIRONMENT=staging,GCP_PROJECT_ID=${PROJECT_ID} \
  --set-env-vars=DATABASE_HOST=localhost,DATABASE_NAME=netra,DATABASE_USER=netra \
  --set-env-vars="API_BASE_URL=https://api.staging.netra.example,FRONTEND_URL=https://app.staging.netra.example" \
  --set-secrets=JWT_SECRET=jwt-secret-staging:latest \
  --set-secrets=DATABASE_PASSWORD=database-password-staging:latest \
  --set-secrets=GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-staging:latest \
  --set-secrets=GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-staging:latest \
  --allow-unauthenticated
