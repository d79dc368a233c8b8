# netra-backend in staging. Check it first:
#   netra-verify check --env staging --manifest examples/staging/terraform/
locals {
  settings = {
    ENVIRONMENT    = "staging"
    GCP_PROJECT_ID = "netra-staging"
    DATABASE_HOST  = "/cloudsql/netra-staging:us-central1:netra-db"
    DATABASE_PORT  = "5432"
    DATABASE_NAME  = "netra"
    DATABASE_USER  = "netra_app"
    REDIS_HOST     = "10.20.0.3"
    REDIS_PORT     = "6378"
    REDIS_TLS      = "true"
    API_BASE_URL   = "https://api.staging.netra.example"
    FRONTEND_URL   = "https://app.staging.netra.example"
    LOG_LEVEL      = "info"
  }
  bound_secrets = {
    REDIS_PASSWORD                     = "redis-password-staging"
    GEMINI_API_KEY                     = "gemini-api-key-staging"
    GOOGLE_OAUTH_CLIENT_ID_STAGING     = "google-oauth-client-id-staging"
    GOOGLE_OAUTH_CLIENT_SECRET_STAGING = "google-oauth-client-secret-staging"
  }
}

resource "google_cloud_run_v2_service" "backend" {
  name     = "netra-backend-staging"
  project  = "netra-staging"
  location = "us-central1"

  template {
    service_account = "netra-backend@netra-staging.iam.gserviceaccount.com"

    containers {
      image = "us-docker.pkg.dev/netra-staging/netra/backend:${var.image_tag}"
      ports {
        container_port = 8080
      }

      dynamic "env" {
        for_each = local.settings
        content {
          name  = env.key
          value = env.value
        }
      }

      env {
        name = "JWT_SECRET_STAGING"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.jwt.secret_id
            version = "latest"
          }
        }
      }
      env {
        name = "DATABASE_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.database_password.secret_id
            version = "latest"
          }
        }
      }
      dynamic "env" {
        for_each = local.bound_secrets
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }
      env {
        name  = "FERNET_KEY_FILE"
        value = "/secrets/fernet/key"
      }

      volume_mounts {
        name       = "fernet-key"
        mount_path = "/secrets/fernet"
      }
      volume_mounts {
        name       = "cloudsql"
        mount_path = "/cloudsql"
      }
    }

    volumes {
      name = "fernet-key"
      secret {
        secret = google_secret_manager_secret.fernet_key.secret_id
        items {
          version = "latest"
          path    = "key"
        }
      }
    }
    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = ["netra-staging:us-central1:netra-db"]
      }
    }

    vpc_access {
      connector = "projects/netra-staging/locations/us-central1/connectors/netra-staging-connector"
      egress    = "PRIVATE_RANGES_ONLY"
    }
  }
}
