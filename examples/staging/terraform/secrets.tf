resource "google_secret_manager_secret" "jwt" {
  secret_id = "jwt-secret-staging"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret" "database_password" {
  secret_id = "database-password-staging"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret" "fernet_key" {
  secret_id = "fernet-key-staging"
  replication {
    auto {}
  }
}
