"""The WW rules, one per module (registered by ``nianbao_wuwei.plugin``)."""
