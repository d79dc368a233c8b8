variable "project" {
  description = "The staging project."
  type        = string
  default     = "netra-staging"
}

variable "region" {
  type    = string
  default = "us-central1"
}

variable "image_tag" {
  description = "Set by the pipeline (-var image_tag=SHA)."
  type        = string
  default     = "latest"
}
