"""The FJ rules, one per module (registered by ``nianbao_fujian.plugin``)."""
