"""CTG: conduire une Convention territoriale globale entre une Caf et une intercommunalité."""
