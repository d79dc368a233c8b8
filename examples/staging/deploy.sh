#!/usr/bin/env bash
# Deploys netra-backend to staging. Check it first:
#   netra-verify check --env staging --manifest examples/staging/deploy.sh --project netra-staging
set -euo pipefail

PROJECT_ID=netra-staging
REGION=us-central1
IMAGE_TAG="${IMAGE_TAG:-latest}"

gcloud run deploy netra-backend-staging \
  --project="${PROJECT_ID}" \
  --region="${REGION}" \
  --image="us-docker.pkg.dev/${PROJECT_ID}/netra/backend:${IMAGE_TAG}" \
  --service-account="netra-backend@${PROJECT_ID}.iam.gserviceaccount.com" \
  --env-vars-file=env.yaml \
  --set-secrets=JWT_SECRET_STAGING=jwt-secret-staging:latest,DATABASE_PASSWORD=database-password-staging:latest \
  --set-secrets=REDIS_PASSWORD=redis-password-staging:latest \
  --set-secrets=FERNET_KEY=fernet-key-staging:latest \
  --set-secrets=GEMINI_API_KEY=gemini-api-key-staging:latest \
  --set-secrets=GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-client-id-staging:latest \
  --set-secrets=GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging:latest \
  --add-cloudsql-instances="${PROJECT_ID}:${REGION}:netra-db" \
  --vpc-connector=netra-staging-connector \
  --vpc-egress=private-ranges-only \
  --no-allow-unauthenticated
