"""Kubernetes checks: YAML loading with positions, offline schemas, two schema engines, fragments, heredocs.

``schema.KubernetesSchema`` is the check; ``yaml_loader`` is shared with the API rules.
"""
