"""The SH rules, one per module (registered by ``nianbao_shanghai.plugin``)."""
