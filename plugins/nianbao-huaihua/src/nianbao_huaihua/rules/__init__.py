"""The HH rules, one per module (registered by ``nianbao_huaihua.plugin``)."""
