"""The deputy registry and the deputies' own work: mandates, delegations, portal, Popolo export."""
