#!/usr/bin/env bash
# Deploys the billing worker to qa. Check it first (from this directory, netra.config.ts names the schema):
#   netra-verify check --env qa --env-file env/qa.env --manifest deploy-qa.sh
set -euo pipefail

PROJECT_ID=acme-billing-qa
REGION=europe-west1

gcloud run deploy billing-worker-qa \
  --project="${PROJECT_ID}" \
  --region="${REGION}" \
  --image="europe-docker.pkg.dev/${PROJECT_ID}/billing/worker:${IMAGE_TAG:-latest}" \
  --service-account="billing-worker@${PROJECT_ID}.iam.gserviceaccount.com" \
  --set-env-vars=ENVIRONMENT=qa,BILLING_DB_HOST=/cloudsql/acme-billing-qa:europe-west1:billing-db \
  --set-env-vars=BILLING_DB_NAME=billing,BILLING_DB_USER=billing_worker,BILLING_BATCH_SIZE=50 \
  --set-secrets=BILLING_DB_PASSWORD=billing-db-password-qa:3,PAYMENTS_API_KEY_QA=payments-api-key-qa:2 \
  --add-cloudsql-instances="${PROJECT_ID}:${REGION}:billing-db" \
  --no-allow-unauthenticated
