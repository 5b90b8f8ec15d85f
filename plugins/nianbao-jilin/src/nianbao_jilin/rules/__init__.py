"""The JL rules, one per module (registered by ``nianbao_jilin.plugin``)."""
