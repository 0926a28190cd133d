"""応急仮設住宅: units, applications, allocation by documented priority, tenancies."""
