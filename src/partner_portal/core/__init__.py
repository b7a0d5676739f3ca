"""The ground floor: findings and their code registry, the project on disk, units."""
