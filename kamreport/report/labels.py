"""Every word a report shows, in English and Chinese — the one place labels live.

``t(key, lang)`` looks a label up; KPI ids, accounts.csv columns and enum values have their
own tables so that the workbook, the HTML and the account plans say the same thing.  A test
checks that every key has both languages.
"""

from __future__ import annotations

import re

from kamreport.params import RunParams
from kamreport.params.base import Language

# --------------------------------------------------------------------------- KPI names and definitions
# id: (English, Chinese, English definition, Chinese definition)
KPI_TEXT: dict[str, tuple[str, str, str, str]] = {
    "revenue": ("Revenue", "销售额", "Net revenue in the quarter (returns reduce it)", "本季度净销售额（退货冲减）"),
    "quantity": ("Quantity", "销量", "Net quantity sold in the quarter", "本季度净销量"),
    "unit_price": (
        "Average unit price",
        "平均单价",
        "Revenue / quantity sold in the quarter",
        "本季度销售额 / 销量",
    ),
    "revenue_target": ("Revenue target", "销售目标", "Sum of the quarter's targets", "本季度目标合计"),
    "attainment": ("Attainment", "目标达成率", "Revenue / revenue target", "销售额 / 销售目标"),
    "revenue_pq": ("Revenue last quarter", "上季度销售额", "Revenue in the previous quarter", "上一季度销售额"),
    "growth_qoq": ("Growth vs last quarter", "环比增长", "Revenue / last quarter − 1", "销售额 / 上季度 − 1"),
    "revenue_py": ("Revenue last year", "去年同期销售额", "Revenue in the same quarter a year ago", "去年同季度销售额"),
    "growth_yoy": ("Growth vs last year", "同比增长", "Revenue / same quarter last year − 1", "销售额 / 去年同期 − 1"),
    "high_margin_revenue": (
        "High-margin revenue",
        "高毛利产品销售额",
        "Revenue of high-margin products",
        "高毛利产品的销售额",
    ),
    "high_margin_mix": ("High-margin mix", "高毛利占比", "High-margin revenue / revenue", "高毛利销售额 / 销售额"),
    "demand": (
        "Customer demand",
        "客户需求总额",
        "The customers' total purchases of the category",
        "客户该品类的采购总额",
    ),
    "share_of_wallet": (
        "Share of wallet",
        "需求份额占有率",
        "Revenue / demand, over customers with known demand",
        "销售额 / 需求总额（仅含有需求数据的客户）",
    ),
    "share_of_wallet_target": (
        "Share of wallet target",
        "份额目标",
        "Accounts' targets (targets table, else kpi.targets) weighted by their demand",
        "各客户份额目标（目标表，否则参数 kpi.targets）按需求加权",
    ),
    "share_of_wallet_pq": (
        "Share last quarter",
        "上季度份额",
        "Share of wallet in the previous quarter",
        "上一季度需求份额",
    ),
    "share_change_qoq_pp": (
        "Share change vs last quarter (pp)",
        "份额环比变化（百分点）",
        "Share now − share last quarter, in points (the period a position moved over)",
        "本期份额 − 上季度份额（百分点，与关系定位变化同一期间）",
    ),
    "share_of_wallet_py": ("Share last year", "去年同期份额", "Share of wallet a year ago", "去年同期需求份额"),
    "share_change_pp": (
        "Share change (pp)",
        "份额变化（百分点）",
        "Share now − share a year ago, in points",
        "本期份额 − 去年同期份额（百分点）",
    ),
    "demand_growth_yoy": ("Demand growth", "需求增长", "Demand / demand a year ago − 1", "需求 / 去年同期需求 − 1"),
    "growth_gap_pp": (
        "Growth gap (pp)",
        "增长差距（百分点）",
        "Our growth − the customers' demand growth; negative = share lost",
        "我方增长 − 客户需求增长；为负表示份额流失",
    ),
    "visits_planned": ("Visits planned", "计划拜访", "Visits planned in the quarter", "本季度计划拜访次数"),
    "visits_completed": ("Visits completed", "完成拜访", "Visits completed in the quarter", "本季度完成拜访次数"),
    "visit_compliance": (
        "Plan compliance",
        "计划执行率",
        "Planned visits completed / planned visits",
        "完成的计划拜访 / 计划拜访",
    ),
    "visits_required": ("Visits required", "要求拜访", "Visits the tier policy asks for", "按客户等级要求的拜访次数"),
    "frequency_attainment": (
        "Visit frequency",
        "拜访频率达成",
        "Completed visits, capped per account, / required visits",
        "完成拜访（每户封顶）/ 要求拜访",
    ),
    "frequency_attainment_target": (
        "Visit frequency target",
        "拜访频率目标",
        "Accounts' targets (targets table, else kpi.targets) weighted by their required visits",
        "各客户目标（目标表，否则参数 kpi.targets）按要求拜访次数加权",
    ),
    "coverage": (
        "Coverage",
        "到达率",
        "Active accounts visited at least once / active accounts",
        "至少拜访一次的活跃客户 / 活跃客户",
    ),
    "visit_success_rate": (
        "Visit success",
        "拜访成功率",
        "Successful visits / visits with a recorded outcome",
        "成功拜访 / 有结果记录的拜访",
    ),
    "promotions": (
        "Promotions run",
        "促销执行次数",
        "Spend records of type promotion starting in the quarter (by booking date when no start date)",
        "本季度开始的促销类费用记录（无开始日期时按记账日期）",
    ),
    "displays": ("Displays", "陈列次数", "Displays set up on completed visits", "完成拜访中的陈列次数"),
    "key_accounts": (
        "Key accounts",
        "重点客户数",
        "Key accounts in the quarter (tier A or B, or a large potential)",
        "本季度重点客户数（A、B 级或潜力大的客户）",
    ),
    "account_managers": (
        "Account managers",
        "客户经理人数",
        "Distinct owners of the accounts",
        "所辖客户的不同负责人人数",
    ),
    "key_accounts_per_owner": (
        "Key accounts per manager",
        "人均重点客户数",
        "Key accounts / account managers, against planning.kam_capacity",
        "重点客户数 / 客户经理人数，对照 planning.kam_capacity",
    ),
    "cost": ("Cost of goods", "销售成本", "Cost over lines whose cost is known", "有成本数据的销售行成本"),
    "gross_profit": (
        "Gross profit",
        "毛利",
        "Revenue − cost, over lines whose cost is known",
        "销售额 − 成本（有成本数据的行）",
    ),
    "gross_margin": ("Gross margin", "毛利率", "Gross profit / revenue with known cost", "毛利 / 有成本数据的销售额"),
    "gross_margin_target": (
        "Gross margin target",
        "毛利率目标",
        "Accounts' targets (targets table, else kpi.targets) weighted by revenue with known cost",
        "各客户目标（目标表，否则参数 kpi.targets）按有成本数据的销售额加权",
    ),
    "trade_spend": (
        "Trade spend",
        "市场费用",
        "Fixed fees, promotions, displays, rebates",
        "进场费、促销、陈列、返利等费用",
    ),
    "spend_fixed_fee": ("Fixed fees", "进场费", "Trade spend of type fixed_fee", "类型为进场费的市场费用"),
    "spend_promotion": ("Promotion spend", "促销费用", "Trade spend of type promotion", "类型为促销的市场费用"),
    "spend_display": ("Display spend", "陈列费用", "Trade spend of type display", "类型为陈列的市场费用"),
    "spend_rebate": ("Rebates", "返利", "Trade spend of type rebate", "类型为返利的市场费用"),
    "spend_other": ("Other spend", "其他费用", "Trade spend of type other", "类型为其他的市场费用"),
    "contribution": ("Contribution", "贡献利润", "Gross profit − trade spend", "毛利 − 市场费用"),
    "contribution_margin": ("Contribution margin", "贡献利润率", "Contribution / revenue", "贡献利润 / 销售额"),
    "spend_efficiency": (
        "Revenue per 100 spend",
        "每百元费用销售额",
        "100 × revenue / trade spend",
        "100 × 销售额 / 市场费用",
    ),
    "volume_per_100_spend": (
        "Volume per 100 spend",
        "每百元费用销量",
        "100 × quantity / trade spend",
        "100 × 销量 / 市场费用",
    ),
    "qty_ordered": ("Quantity ordered", "订货量", "Quantity on order lines of the quarter", "本季度订单行订货量"),
    "qty_unfilled": (
        "Quantity not filled",
        "未满足数量",
        "Quantity ordered − quantity delivered (at most what was ordered)",
        "订货量 − 交付量（不超过订货量）",
    ),
    "unfilled_value": (
        "Unfilled value",
        "未满足金额",
        "Each account's unfilled quantity × its average unit price of the quarter",
        "各客户未满足数量 × 其本季度平均单价",
    ),
    "fill_rate": (
        "Order fill rate",
        "订单满足率",
        "Quantity delivered (at most what was ordered) / ordered",
        "交付量（不超过订货量）/ 订货量",
    ),
    "fill_rate_target": (
        "Fill rate target",
        "满足率目标",
        "Accounts' targets (targets table, else kpi.targets) weighted by quantity ordered",
        "各客户目标（目标表，否则参数 kpi.targets）按订货量加权",
    ),
    "otif_rate": (
        "On time in full",
        "准时足额率",
        "Lines delivered in full by the requested date",
        "按要求日期足额交付的订单行比例",
    ),
    "last_week_share": (
        "Last-week share",
        "月末一周占比",
        "Revenue booked from day {last_week_first_day} of the month / revenue",
        "每月{last_week_first_day}日起的销售额 / 销售额",
    ),
    "unbalanced": (
        "Unbalanced rhythm",
        "节奏失衡",
        "1 when the last-week share exceeds the threshold",
        "月末一周占比超过阈值时为1",
    ),
    "promo_lead_days_median": (
        "Promotion lead time (days)",
        "促销提前天数（中位数）",
        "Median days from submission to start",
        "从提交到开始的天数中位数",
    ),
    "promo_on_time_share": (
        "Promotions on time",
        "促销按时提交率",
        "Promotions submitted ≥ {promo_on_time_lead_days} days ahead",
        "提前 {promo_on_time_lead_days} 天以上提交的促销比例",
    ),
    "forecast": ("Forecast", "预测", "Sales forecast for the quarter", "本季度销售预测"),
    "forecast_accuracy": (
        "Forecast accuracy",
        "预测准确率",
        "1 − Σ|revenue − forecast| / Σ revenue",
        "1 − Σ|销售额 − 预测| / Σ销售额",
    ),
    "forecast_bias": (
        "Forecast bias",
        "预测偏差",
        "(Σ forecast − Σ revenue) / Σ revenue; above 0 the forecast was too high",
        "(Σ预测 − Σ销售额) / Σ销售额；大于 0 表示预测偏高",
    ),
    "ar_open": ("Receivables open", "应收账款", "Invoices unpaid at quarter end", "季末未收回的发票金额"),
    "ar_overdue": ("Receivables overdue", "逾期应收", "Open invoices past their due date", "已过到期日的未收发票"),
    "ar_not_due": (
        "Receivables not yet due",
        "未到期应收",
        "Open receivables due on or after the quarter's last day",
        "季末尚未到期的未收发票",
    ),
    "ar_aging_0_30": (
        "Overdue up to 30 days",
        "逾期30天以内",
        "Open receivables 1–30 days past due at the quarter's last day (not-yet-due excluded)",
        "季末逾期1至30天的应收（不含未到期）",
    ),
    "ar_aging_31_60": (
        "Overdue 31–60 days",
        "逾期31–60天",
        "Open receivables 31–60 days past due at the quarter's last day",
        "季末逾期31至60天的应收",
    ),
    "ar_aging_61_90": (
        "Overdue 61–90 days",
        "逾期61–90天",
        "Open receivables 61–90 days past due at the quarter's last day",
        "季末逾期61至90天的应收",
    ),
    "ar_aging_over_90": (
        "Overdue over 90 days",
        "逾期90天以上",
        "Open receivables more than 90 days past due at the quarter's last day",
        "季末逾期超过90天的应收",
    ),
    "overdue_ratio": ("Overdue share", "逾期占比", "Overdue / open receivables", "逾期应收 / 应收账款"),
    "dso_days": (
        "Days sales outstanding",
        "应收账款周转天数",
        "Open receivables at quarter end / the quarter's revenue × days in the quarter",
        "季末应收账款 / 本季度销售额 × 本季度天数",
    ),
    "credit_utilization": (
        "Credit used",
        "信用额度使用率",
        "Open receivables / credit limit, both over the accounts that have a limit",
        "应收账款 / 信用额度（均只计有信用额度的客户）",
    ),
    "won_amount": ("Won this quarter", "本季度赢单金额", "Opportunities won in the quarter", "本季度赢得的商机金额"),
    "win_rate": ("Win rate", "赢单率", "Won / (won + lost) in the quarter", "赢单数 / （赢单 + 丢单）"),
    "pipeline_amount": (
        "Pipeline next quarter",
        "下季度商机",
        "Open opportunities expected to close next quarter",
        "预计下季度成交的在途商机",
    ),
    "weighted_pipeline": (
        "Weighted pipeline",
        "加权商机",
        "Pipeline × win probability of its stage",
        "商机金额 × 阶段赢率",
    ),
    "next_quarter_target": (
        "Next-quarter target",
        "下季度目标",
        "Targets for next quarter (or the plan's)",
        "下季度目标（无则取计划目标）",
    ),
    "pipeline_coverage": ("Pipeline coverage", "商机覆盖倍数", "Pipeline / next-quarter target", "商机 / 下季度目标"),
    "objectives_due": (
        "Objectives due",
        "到期目标",
        "Plan objectives due this quarter, not dropped",
        "本季度到期的计划目标（不含已放弃）",
    ),
    "objectives_done_share": (
        "Objectives done",
        "目标完成率",
        "Objectives done / objectives due this quarter",
        "已完成目标 / 本季度到期目标",
    ),
    "objectives_overdue": (
        "Objectives overdue",
        "逾期目标",
        "Objectives still open after their due date",
        "已过到期日仍未完成的目标",
    ),
    "promo_plan_coverage": (
        "Promotion plan coverage",
        "促销计划覆盖率",
        "Key accounts × next three months with a planned or approved promotion / all such months",
        "未来三个月中已有计划或已批准促销的（重点客户 × 月）/ 全部（重点客户 × 月）",
    ),
    "promo_plan_on_time_share": (
        "Planned promotions sent on time",
        "计划促销按时提交率",
        "Next quarter's planned promotions sent to the customer at least {promo_on_time_lead_days} days ahead",
        "下季度计划促销中提前至少 {promo_on_time_lead_days} 天提交给客户的比例",
    ),
    "promo_planned_spend": (
        "Promotion spend planned",
        "促销计划费用",
        "Planned spend of this quarter's promotions",
        "本季度促销的计划费用",
    ),
    "promo_actual_spend": (
        "Promotion spend actual",
        "促销实际费用",
        "Cost of the promotion runs in those promotions' windows",
        "这些促销期间内实际发生的促销费用",
    ),
    "promo_spend_vs_plan": (
        "Promotion spend vs plan",
        "促销费用/计划",
        "Actual / planned promotion spend",
        "实际 / 计划促销费用",
    ),
    "promo_planned_volume": (
        "Promotion volume planned",
        "促销计划销量",
        "Planned volume of this quarter's promotions",
        "本季度促销的计划销量",
    ),
    "promo_actual_volume": (
        "Promotion volume actual",
        "促销实际销量",
        "Quantity sold from each promotion's start to its end",
        "每次促销起止日期内的实际销量",
    ),
    "promo_volume_vs_plan": (
        "Promotion volume vs plan",
        "促销销量/计划",
        "Actual / planned promotion volume",
        "实际 / 计划促销销量",
    ),
    "agreement_volume_attainment_ytd": (
        "Agreement volume YTD",
        "年度协议销量进度",
        "Quantity this year / (volume agreed × share of the year gone)",
        "本年累计销量 /（协议销量 × 已过年度比例）",
    ),
    "agreement_revenue_attainment_ytd": (
        "Agreement revenue YTD",
        "年度协议销售额进度",
        "Revenue this year / (revenue agreed × share of the year gone)",
        "本年累计销售额 /（协议销售额 × 已过年度比例）",
    ),
    "agreement_spend_attainment_ytd": (
        "Agreement spend YTD",
        "年度协议费用进度",
        "Trade spend this year / (spend committed × share of the year gone)",
        "本年累计费用 /（承诺费用 × 已过年度比例）",
    ),
    "agreement_promotions_attainment_ytd": (
        "Agreement promotions YTD",
        "年度协议促销进度",
        "Promotions run this year / (promotions committed × share of the year gone)",
        "本年累计促销次数 /（承诺促销次数 × 已过年度比例）",
    ),
    "agreement_displays_attainment_ytd": (
        "Agreement displays YTD",
        "年度协议陈列进度",
        "Displays this year / (displays committed × share of the year gone)",
        "本年累计陈列次数 /（承诺陈列次数 × 已过年度比例）",
    ),
    "bid_win_rate": ("Bid win rate", "投标中标率", "Bids won / bids won or lost this quarter", "本季度中标 / 已决标"),
    "bid_price_erosion": (
        "Price erosion",
        "报价降幅",
        "1 − final quote / first quote of the bids decided this quarter",
        "1 − 最终报价 / 首轮报价（本季度已决标）",
    ),
    "bids_open": ("Open bids", "未决投标", "Bids not yet decided", "尚未决标的投标"),
    "value_per_win": ("Value per win", "单笔赢单价值", "Won amount / opportunities won", "赢单金额 / 赢单数"),
    "value_creation": (
        "Value creation",
        "价值创造",
        "Share of wallet × win rate × value per win",
        "需求份额 × 赢单率 × 单笔赢单价值",
    ),
    "strategic_revenue": ("Strategic revenue", "战略产品销售额", "Revenue of strategic products", "战略产品的销售额"),
    "strategic_mix": ("Strategic mix", "战略产品占比", "Strategic revenue / revenue", "战略产品销售额 / 销售额"),
    "strategic_penetration": (
        "Strategic penetration",
        "战略产品渗透率",
        "Key accounts that bought a strategic product / key accounts",
        "购买了战略产品的重点客户 / 重点客户",
    ),
}

# --------------------------------------------------------------------------- other columns
COLUMNS: dict[str, tuple[str, str]] = {
    "counted_in": ("Counted in region", "计入区域"),
    "bought_in": ("Bought in region", "采购区域"),
    "account_id": ("Account", "客户编码"),
    "account_name": ("Account name", "客户名称"),
    "region": ("Region", "区域"),
    "owner": ("Account manager", "客户经理"),
    "group_id": ("Group", "集团"),
    "revenue_t4q": ("Revenue last 4 quarters", "近四季度销售额"),
    "tier": ("Tier", "等级"),
    "tier_pq": ("Tier last quarter", "上季度等级"),
    "key_account": ("Key account", "重点客户"),
    "key_account_pq": ("Key last quarter", "上季度重点客户"),
    "review": ("Review", "评审"),
    "position": ("Position", "关系定位"),
    "position_pq": ("Position last quarter", "上季度定位"),
    "base": ("Base", "基数"),
    "market_growth": ("Market growth", "市场增长"),
    "capture": ("Growth captured", "增量目标"),
    "target_nq": ("Target from the formula", "公式目标"),
    "target_nq_reconciled": ("Target next quarter", "下季度目标"),
    "priority": ("Attack priority", "进攻优先级"),
    "revenue_p2": ("Revenue two quarters ago", "前两季度销售额"),
    "potential_monthly": ("Monthly potential", "月度潜力"),
    "competitor": ("Main competitor", "主要竞争对手"),
    "competitor_tier": ("Competitor tier", "竞争对手类别"),
    "decision_style": ("Decision style", "决策风格"),
    "segment": ("Segment", "行业"),
    "status": ("Status", "状态"),
    "credit_limit": ("Credit limit", "信用额度"),
    "stage": ("Stage", "阶段"),
    "stage_name": ("Stage", "阶段"),
    "count": ("Opportunities", "商机数"),
    "accounts": ("Accounts", "客户数"),
    "contacts": ("Contacts", "联系人数"),
    "how": ("How", "计算方法"),
    "amount": ("Amount", "金额"),
    "weighted": ("Weighted", "加权金额"),
    "weighted_amount": ("Weighted", "加权金额"),
    "benchmark": ("Benchmark", "基准"),
    "health": ("Health", "健康度"),
    "opportunity_id": ("Opportunity", "商机编号"),
    "expected_close": ("Expected close", "预计成交"),
    "close_date": ("Closed", "关闭日期"),
    "score": ("Value score", "价值评分"),
    "score_opportunity": ("Is there an opportunity", "机会存在"),
    "score_compete": ("Can we compete", "能否竞争"),
    "score_win": ("Can we win", "能否赢单"),
    "score_worth": ("Is it worth winning", "是否值得"),
    "answers_missing": ("Answers missing", "缺失答案"),
    "high_value": ("High value", "高价值"),
    "probability": ("Win probability", "赢率"),
    "rep": ("Rep", "业务代表"),
    "visits": ("Visits", "拜访"),
    "planned": ("Planned", "计划"),
    "completed": ("Completed", "完成"),
    "accounts_visited": ("Accounts visited", "拜访客户数"),
    "month": ("Month", "月份"),
    "period": ("Quarter", "季度"),
    "qty_filled": ("Quantity filled", "满足量"),
    "lines": ("Order lines", "订单行"),
    "week_of_month": ("Week of month", "月内周次"),
    "W1": ("Week 1", "第1周"),
    "W2": ("Week 2", "第2周"),
    "W3": ("Week 3", "第3周"),
    "W4": ("Week 4", "第4周"),
    "group_name": ("Group", "集团"),
    "step": ("Step", "项目"),
    "value": ("Value", "数值"),
    "table": ("Table", "数据表"),
    "kind": ("Kind", "类型"),
    "source_file": ("File", "文件"),
    "source_row": ("Row", "行号"),
    "reason": ("Reason", "原因"),
    "row": ("Row as read", "原始数据"),
    "rows_read": ("Rows read", "读取行数"),
    "rows_used": ("Rows used", "使用行数"),
    "rows_set_aside": ("Rows set aside", "剔除行数"),
    "reasons": ("Main reasons", "主要原因"),
    "indicator": ("Indicator", "指标"),
    "kpi": ("Measure", "度量"),
    "target": ("Target", "目标"),
    "vs_target": ("vs target", "对比目标"),
    "prior_year": ("Last year", "去年同期"),
    "vs_prior_year": ("vs last year", "对比去年"),
    "rag": ("Status", "状态"),
    "text": ("What changed", "变化"),
    "key": ("Key", "键"),
    "definition": ("Definition", "定义"),
    "measure": ("Name", "名称"),
    "param": ("Parameter", "参数"),
    "rule": ("Rule", "规则"),
    "action": ("Recommended action", "建议行动"),
    "condition": ("Condition", "条件"),
    "name": ("Name", "姓名"),
    "role": ("Role", "角色"),
    "influence": ("Influence", "影响力"),
    "strength": ("Relationship strength", "关系强度"),
    "date": ("Date", "日期"),
    "successful": ("Successful", "成功"),
    "contact_role": ("Met", "拜访对象"),
    "notes": ("Notes", "备注"),
    "business_group": ("Business group", "事业部"),
    "category": ("Category", "品类"),
    "division": ("Division", "事业部门"),
    "share": ("Share", "占比"),
    "year": ("Year", "年度"),
    "committed": ("Committed", "承诺"),
    "actual": ("Year to date", "年初至今"),
    "progress": ("Progress", "进度"),
    "expected_ytd": ("Expected by now", "应达进度"),
    "item": ("Item", "项目"),
    "invoice_id": ("Invoice", "发票号"),
    "due_date": ("Due", "到期日"),
    "invoice_date": ("Invoiced", "开票日期"),
    "days_overdue": ("Days overdue", "逾期天数"),
    "sites": ("Sites", "下属工厂"),
    "bid_type": ("Bid type", "投标类型"),
    "at_stake": ("At stake", "涉及金额"),
    "over_limit": ("Over the limit", "超出额度"),
    "share_change_qoq_value": ("Value of the share change", "份额变化金额"),
    "last_quarter": ("Last quarter", "上季度"),
    "target_basis": ("Target is", "目标依据"),
    # the plans of record (issue 17)
    "objective": ("Objective", "目标"),
    "responsible": ("Owner", "负责人"),
    "due": ("Due", "到期日"),
    "completion": ("Done so far", "完成进度"),
    "party": ("Committed by", "承诺方"),
    "overdue": ("Overdue", "逾期"),
    "promo_id": ("Promotion", "促销编号"),
    "start": ("Start", "开始"),
    "end": ("End", "结束"),
    "days": ("Days", "天数"),
    "submitted": ("Sent", "提交日期"),
    "on_time": ("Lead time", "提前期"),
    "planned_spend": ("Spend planned", "计划费用"),
    "actual_spend": ("Spend actual", "实际费用"),
    "spend_vs_plan": ("Spend vs plan", "费用/计划"),
    "planned_volume": ("Volume planned", "计划销量"),
    "actual_volume": ("Volume actual", "实际销量"),
    "volume_vs_plan": ("Volume vs plan", "销量/计划"),
    "tender_mode": ("Tender", "招标方式"),
    "quote_rounds": ("Rounds", "报价轮次"),
    "first_quote": ("First quote", "首轮报价"),
    "final_quote": ("Final quote", "最终报价"),
    "erosion": ("Price erosion", "报价降幅"),
    "competitor_brands": ("Competing brands", "竞争品牌"),
    "control": ("Our control", "我方掌控度"),
    "impact": ("Impact", "影响"),
    "result": ("Result", "结果"),
    "decided": ("Decided", "决标日期"),
    "bids": ("Bids", "投标数"),
    "over_80": ("Control > 80 %", "掌控 > 80%"),
    "60_80": ("60–80 %", "60–80%"),
    "30_60": ("30–60 %", "30–60%"),
    "under_30": ("< 30 %", "< 30%"),
    "control_unknown": ("Not known", "未知"),
    "level": ("Level", "层级"),
    "commit": ("Commit", "承诺预测"),
    "best_case": ("Best case", "乐观预测"),
    "pipeline": ("Pipeline", "商机预测"),
    "below": ("Sum of the level below", "下级合计"),
    "adjustment": ("Manager adjustment", "经理调整"),
    "commit_vs_actual": ("Commit vs actual", "承诺/实际偏差"),
    "expected": ("Expected by now", "应达"),
    "attainment_ytd": ("Attainment so far", "进度达成"),
    "relationship_stage": ("Relationship stage", "关系阶段"),
    "planning_level": ("Planning level", "计划层级"),
    "history_quarters": ("Quarters of history", "合作季度数"),
}

# --------------------------------------------------------------------------- values
VALUES: dict[str, tuple[str, str]] = {
    "maintain": ("maintain", "维护"),
    "defend": ("defend", "防御"),
    "attack": ("attack", "进攻"),
    "unknown": ("unknown", "未知"),
    "added": ("added", "新增"),
    "dropped": ("dropped", "移出"),
    "kept": ("kept", "保留"),
    "excellent": ("excellent", "优秀"),
    "good": ("good", "良好"),
    "warning": ("warning", "预警"),
    "green": ("green", "绿"),
    "amber": ("amber", "黄"),
    "red": ("red", "红"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "open": ("open", "进行中"),
    "won": ("won", "赢单"),
    "lost": ("lost", "丢单"),
    "active": ("active", "活跃"),
    "closed": ("closed", "关闭"),
    "completed": ("completed", "完成"),
    "cancelled": ("cancelled", "取消"),
    "missed": ("missed", "未到访"),
    "procurement": ("procurement", "采购"),
    "user": ("user", "使用部门"),
    "design": ("design", "设计"),
    "management": ("management", "管理层"),
    "other": ("other", "其他"),
    "decision_maker": ("decision maker", "决策者"),
    "influencer": ("influencer", "影响者"),
    "gatekeeper": ("gatekeeper", "把关者"),
    "authoritative": ("authoritative", "集权型"),
    "consultative": ("consultative", "协商型"),
    "advisory": ("advisory", "建议型"),
    "set_aside": ("set aside", "剔除"),
    "note": ("note", "提示"),
    "conflict": ("conflict", "冲突"),
    "possible_duplicate": ("possible duplicate", "疑似重复客户"),
    "target": ("target", "目标"),
    "threshold": ("green threshold", "绿灯阈值"),
    "made": ("made", "已生成"),
    "failed": ("failed", "失败"),
    "not_made": ("not made in this run", "本次未生成"),
    "done": ("done", "已完成"),
    "planned": ("planned", "计划中"),
    "approved": ("approved", "已批准"),
    "us": ("us", "我方"),
    "customer": ("customer", "客户"),
    "open_tender": ("open tender", "公开招标"),
    "rounds": ("several rounds", "多轮报价"),
    "negotiation": ("negotiation", "议价"),
    "over_80": ("> 80 %", "> 80%"),
    "60_80": ("60–80 %", "60–80%"),
    "30_60": ("30–60 %", "30–60%"),
    "under_30": ("< 30 %", "< 30%"),
    "high": ("high", "高"),
    "medium": ("medium", "中"),
    "low": ("low", "低"),
    "strategic": ("strategic", "战略"),
    "value": ("value", "价值"),
    "transactional": ("transactional", "交易"),
    "partner": ("partner", "伙伴"),
    "issue_driven": ("issue-driven", "问题驱动"),
    "reactive": ("reactive", "被动响应"),
}

STAGES: dict[int, tuple[str, str]] = {
    1: ("1 Right contact and need", "1 找对人、确认需求"),
    2: ("2 Needs, budget, sponsor", "2 需求、预算、支持者"),
    3: ("3 Organisation mapped", "3 组织关系梳理"),
    4: ("4 Objective and resources", "4 销售目标与资源"),
    5: ("5 Shortlist or bid", "5 入围或投标"),
    6: ("6 Sole choice or award", "6 唯一选择或中标"),
    7: ("7 Commercial negotiation", "7 商务谈判"),
    8: ("8 Agreement", "8 签约"),
}

# --------------------------------------------------------------------------- input tables (data-quality chapter)
INPUT_TABLES: dict[str, tuple[str, str]] = {
    "accounts": ("accounts", "客户主数据"),
    "sales": ("sales", "销售明细"),
    "products": ("products", "产品"),
    "visits": ("visits", "拜访记录"),
    "orders": ("orders", "订单"),
    "targets": ("targets", "销售目标"),
    "demand": ("demand", "客户需求"),
    "opportunities": ("opportunities", "商机"),
    "spend": ("spend", "市场费用"),
    "receivables": ("receivables", "应收账款"),
    "forecasts": ("forecasts", "销售预测"),
    "contacts": ("contacts", "联系人"),
    "agreements": ("agreements", "年度协议"),
    "promotions": ("promotions", "促销活动"),
}

# Why a row was set aside or noted (data_quality.csv): pattern → (English, Chinese), the
# pattern's groups filled in as {1}, {2} …  Text that matches none is shown as written.
REASONS: dict[str, tuple[str, str]] = {
    r"([\d,]+) sales rows have no cost: left out of cost, gross profit and margin": (
        "{1} sales rows have no cost: left out of cost, gross profit and margin",
        "{1} 行销售明细没有成本：不计入成本、毛利与毛利率",
    ),
    r"([\d,]+) sales rows have a product_code missing from products: not high-margin": (
        "{1} sales rows have a product_code missing from products: not high-margin",
        "{1} 行销售明细的产品编码不在产品表中：不计为高毛利产品",
    ),
    r"(\w+): cannot read '(.*)' as (\w+)": ("{1}: cannot read '{2}' as {3}", "{1}：无法将“{2}”读取为 {3}"),
    r"(\w+): unreadable value": ("{1}: unreadable value", "{1}：无法读取的值"),
    r"(\w+): empty \(required\)": ("{1}: empty (required)", "{1}：必填但为空"),
    r"(\w+): empty": ("{1}: empty", "{1}：为空"),
    r"exact duplicate of row (\d+)": ("exact duplicate of row {1}", "与第 {1} 行完全重复"),
    r"exact duplicate line": ("exact duplicate line", "完全重复的行"),
    r"duplicate (.+) of row (\d+)": ("duplicate {1} of row {2}", "与第 {2} 行的 {1} 重复"),
    r"duplicate (.+)": ("duplicate {1}", "{1} 重复"),
    r"line has (\d+) fields, the header has (\d+)": (
        "line has {1} fields, the header has {2}",
        "该行有 {1} 个字段，表头有 {2} 个",
    ),
    r"line does not split into the header's fields": (
        "line does not split into the header's fields",
        "该行无法按表头拆分字段",
    ),
    r"unknown account_id '(.*)'": ("unknown account_id '{1}'", "客户编码“{1}”不在客户主数据中"),
    r"unknown account_id": ("unknown account_id", "客户编码不在客户主数据中"),
    r"greater_than_or_equal_to\((.*)\): '(.*)'": ("must be at least {1}: '{2}'", "应不小于 {1}：“{2}”"),
    r"greater_than\((.*)\): '(.*)'": ("must be more than {1}: '{2}'", "应大于 {1}：“{2}”"),
    r"less_than_or_equal_to\((.*)\): '(.*)'": ("must be at most {1}: '{2}'", "应不大于 {1}：“{2}”"),
    r"isin\((.*)\): '(.*)'": ("not one of the allowed values: '{2}'", "不是允许的取值：“{2}”"),
    r"account (\S+) '(.*)' may be the same customer as (\S+) '(.*)' \(names equal once width, case, spaces, "
    r"punctuation and legal forms are set aside\)": (
        "account {1} '{2}' may be the same customer as {3} '{4}' (names equal once width, case, spaces, punctuation "
        "and legal forms are set aside)",
        "客户 {1}“{2}”可能与 {3}“{4}”是同一客户（忽略全半角、大小写、空格、标点和公司类型后名称相同）",
    ),
    r"if so, list it in data\.merge": ("if so, list it in data.merge", "如确为同一客户，请在 data.merge 中列出"),
    r"(\w+): '(.*)' is not a finite number": ("{1}: '{2}' is not a finite number", "{1}：“{2}”不是有限数值"),
    r"(\w+): '(.*)' is beyond ±(\S+) \(validation\.max_abs_number\)": (
        "{1}: '{2}' is beyond ±{3} (validation.max_abs_number)",
        "{1}：“{2}”超出 ±{3}（validation.max_abs_number）",
    ),
    r"(\w+): (\S+) is before (\S+) \(validation\.min_date\)": (
        "{1}: {2} is before {3} (validation.min_date)",
        "{1}：{2} 早于 {3}（validation.min_date）",
    ),
    r"(\w+): (\S+) is more than (\d+) days after the period's end (\S+) \(validation\.max_days_after_period\)": (
        "{1}: {2} is more than {3} days after the period's end {4} (validation.max_days_after_period)",
        "{1}：{2} 晚于报告期末 {4} 超过 {3} 天（validation.max_days_after_period）",
    ),
    r"(\w+): implausible date": ("{1}: implausible date", "{1}：日期不合理"),
    r"merged into (\S+) by data\.merge: its rows count there": (
        "merged into {1} by data.merge: its rows count there",
        "已按 data.merge 合并到 {1}：其数据计入该客户",
    ),
    r"merged into (\S+) by data\.merge": ("merged into {1} by data.merge", "已按 data.merge 合并到 {1}"),
    r"merged into another account \(data\.merge\)": (
        "merged into another account (data.merge)",
        "已合并到其他客户（data.merge）",
    ),
    r"account set aside": ("account set aside", "客户已被剔除"),
    r"(\w+): no match in (.*) \(column (.*)\) for '(.*)'": (
        "{1}: no match in {2} (column {3}) for '{4}'",
        "{1}：在 {2}（列 {3}）中找不到“{4}”",
    ),
    r"(\S+) (\S+): (\d+) values of (\w+) \((.*)\); kept '(.*)' \(most revenue\)": (
        "{1} {2}: {3} values of {4} ({5}); kept '{6}' (most revenue)",
        "{1} {2}：{4} 有 {3} 个不同的值（{5}）；保留销售额最大的“{6}”",
    ),
    r"(\S+) (\S+): (\d+) values of (\w+) \((.*)\); kept '(.*)' \(latest\)": (
        "{1} {2}: {3} values of {4} ({5}); kept '{6}' (latest)",
        "{1} {2}：{4} 有 {3} 个不同的值（{5}）；保留最新的“{6}”",
    ),
}

INDICATORS: dict[str, tuple[str, str]] = {
    "sales": ("Sales", "销售"),
    "share": ("Share of wallet", "需求份额"),
    "execution": ("Field execution", "执行"),
    "profit": ("Profit", "利润"),
    "fill_rate": ("Order fill rate", "订单满足率"),
    # beyond the five: the supporting families of the indicators chapter
    "pipeline": ("Pipeline and forecast", "商机与预测"),
    "receivables": ("Receivables", "应收账款"),
}

# --------------------------------------------------------------------------- sheets, sections, sentences
TEXT: dict[str, tuple[str, str]] = {
    # sheet names (at most 31 characters, none of []:*?/\)
    "sheet.summary": ("Summary", "概览"),
    "sheet.accounts": ("Accounts", "客户"),
    "sheet.positioning": ("Positioning", "关系定位"),
    "sheet.targets": ("Targets", "目标"),
    "sheet.pipeline": ("Pipeline", "商机"),
    "sheet.execution": ("Execution", "执行"),
    "sheet.fill_rate": ("Fill rate", "订单满足"),
    "sheet.profit": ("Profit", "利润"),
    "sheet.rhythm": ("Rhythm", "销售节奏"),
    "sheet.data_quality": ("Data quality", "数据质量"),
    "sheet.notes": ("Notes", "说明"),
    "sheet.profile": ("Profile", "客户档案"),
    "sheet.performance": ("Performance", "业绩"),
    "sheet.relationship": ("Relationship", "客户关系"),
    "sheet.opportunities": ("Opportunities", "商机"),
    "sheet.plan": ("Plan", "计划"),
    "sheet.sites": ("Sites", "下属工厂"),
    "sheet.overview": ("On a page", "计划概要"),
    "sheet.appendix": ("For analysts", "分析附录"),
    "sheet.run": ("About this run", "运行信息"),
    "sheet.attention": ("Money at stake", "风险金额"),
    "sheet.indicators": ("Indicators", "全部指标"),
    "sheet.managers": ("Account managers", "客户经理"),
    "sheet.regions": ("Regions", "各区域"),
    "sheet.plans": ("Plans of record", "计划执行"),
    "sheet.objectives": ("Objectives", "目标"),
    "sheet.promotions": ("Promotion plan", "促销计划"),
    # the plans of record (issue 17)
    "title.plans": (
        "Plans of record: commitments, forecasts, bids and value created",
        "计划执行：承诺、预测、投标与价值创造",
    ),
    "intro.plans": (
        "What the account plans promised and what came of it: objectives, the rolling promotion plan, the annual "
        "agreements, forecasts submitted up the hierarchy, the bids, and the value the key-account work creates.",
        "客户计划的承诺及其结果：目标、滚动促销计划、年度协议、逐级提交的预测、投标，以及大客户工作创造的价值。",
    ),
    "notebook.plans": (
        "The plans of record per account manager (per region in the company report): objectives due, done and "
        "overdue, the promotion plan's coverage of the next three months, forecast accuracy and bias, the bid "
        "win rate; the annual agreements so far; each level's forecast against the level below; open bids by "
        "impact and control; value creation and strategic products; revenue and share of wallet by segment.",
        "按客户经理（公司报告按区域）汇总的计划执行：到期、完成与逾期目标，促销计划对未来三个月的覆盖，预测准确率与偏差，投标中标率；"
        "年度协议进度；各层级预测与下级合计的对比；按影响与掌控度划分的未决投标；价值创造与战略产品；按行业的销售额与需求份额。",
    ),
    "title.plans_by_member": ("Objectives, promotion plan, forecasts and bids", "目标、促销计划、预测与投标"),
    "title.agreements_ytd": ("Annual agreements so far", "年度协议执行进度"),
    "title.forecast_levels": ("Forecasts up the hierarchy", "逐级预测"),
    "title.open_bids": ("Open bids by impact and our control", "未决投标：影响与掌控度"),
    "title.value_creation": ("Value creation and strategic products", "价值创造与战略产品"),
    "title.segments": ("Customer segments", "客户行业"),
    "note.forecast_levels": (
        "Manager adjustment = the level's own commit − the sum of the commits of the level below (its account "
        "managers' or its accounts'); the latest version of each forecast counts.",
        "经理调整 = 本层级承诺预测 − 下一层级承诺预测之和（其客户经理或客户）；每项预测以最新版本为准。",
    ),
    "note.no_forecast_levels": (
        "Only accounts have forecasts: add owner, region or company rows (forecasts.level) to see the adjustments.",
        "仅有客户层级的预测：在预测表中加入客户经理、区域或公司层级（forecasts.level）即可查看调整。",
    ),
    "note.bids": (
        "This quarter: bid win rate {win}, price erosion from first to final quote {erosion}; {open} bids open.",
        "本季度：投标中标率 {win}，首轮至最终报价降幅 {erosion}；未决投标 {open} 个。",
    ),
    "level.company": ("Company", "公司"),
    "level.region": ("Region", "区域"),
    "level.owner": ("Account manager", "客户经理"),
    "title.objectives": ("Objectives: the plan of record", "目标：计划承诺"),
    "intro.objectives": (
        "The objectives agreed in the plan — ours and the customer's — that are due this quarter or still open, "
        "with who owns them and when they are due.",
        "计划中约定的目标（我方与客户的承诺）：本季度到期或仍未完成的目标，以及负责人与到期日。",
    ),
    "notebook.objectives": (
        "The plan's objectives due this quarter or still open (`objectives` table); `kamreport new-quarter` "
        "carries the open ones into next quarter's objectives file with a draft per recommended action.",
        "本季度到期或仍未完成的计划目标（`objectives` 表）；`kamreport new-quarter` 会把未完成的目标连同每条建议行动的草稿带入下季度目标文件。",
    ),
    "objective.open": ("open", "进行中"),
    "objective.done": ("done", "已完成"),
    "objective.dropped": ("dropped", "已放弃"),
    "flag.overdue": ("overdue", "逾期"),
    "note.objectives": (
        "This quarter: {due} objectives due, {done} of them done; {overdue} open past their due date.",
        "本季度：到期目标 {due} 个，完成 {done}；逾期未完成 {overdue} 个。",
    ),
    "note.objectives_none_due": (
        "No objective was due this quarter; {overdue} open past their due date.",
        "本季度没有到期目标；逾期未完成 {overdue} 个。",
    ),
    "title.promotions": ("The rolling promotion plan", "滚动促销计划"),
    "intro.promotions": (
        "The promotions agreed with the customer for the next three months, whether each went to the customer "
        "early enough, and this quarter's promotions against what they cost and sold.",
        "与客户约定的未来三个月促销、每项促销是否按时提交给客户，以及本季度促销的计划与实际费用和销量。",
    ),
    "notebook.promotions": (
        "The promotion plan (`promotions` table) as a calendar of the next three months, the lead time against "
        "`kpi.promo_on_time_lead_days`, and planned against actual spend and volume of this quarter's promotions.",
        "促销计划（`promotions` 表）的未来三个月日历、提前期与参数 `kpi.promo_on_time_lead_days` 的对比，以及本季度促销的计划与实际费用和销量。",
    ),
    "title.promotion_calendar": ("The next three months", "未来三个月"),
    "title.promotion_results": ("This quarter's promotions: plan against actual", "本季度促销：计划与实际"),
    "lead.pending": ("not sent yet", "尚未提交"),
    "lead.on_time": ("on time", "按时"),
    "lead.late": ("late", "延迟"),
    "note.promo_plan": (
        "The plan covers {coverage} of the key-account months {months}; a promotion is on time when sent at least "
        "{promo_on_time_lead_days} days before it starts.",
        "计划覆盖了 {months} 重点客户月份的 {coverage}；提前至少 {promo_on_time_lead_days} 天提交即为按时。",
    ),
    "note.promo_plan_months": (
        "The next three months: {months}; a promotion is on time when sent at least {promo_on_time_lead_days} days "
        "before it starts.",
        "未来三个月：{months}；提前至少 {promo_on_time_lead_days} 天提交即为按时。",
    ),
    "chart.promotion_calendar": ("Promotions of the next three months", "未来三个月的促销"),
    "chart.forecast_trend": (
        "Forecast accuracy and bias by quarter: accuracy near 100 %, bias near 0",
        "各季度预测准确率与偏差：准确率越接近 100%、偏差越接近 0 越好",
    ),
    "chart.value_creation": (
        "Value creation = share of wallet × win rate × value per win",
        "价值创造 = 需求份额 × 赢单率 × 单笔赢单价值",
    ),
    "title.bids": ("Bids", "投标"),
    # section titles
    "title.summary": ("Scorecard", "关键指标"),
    "title.key_numbers": ("Key numbers of the quarter", "本季度关键数据"),
    "title.what_changed": ("What changed", "本季度变化"),
    "title.accounts": ("Accounts", "客户一览"),
    "title.positioning": ("Relationship positions", "客户关系定位"),
    "title.movement": ("Movement since last quarter", "较上季度变化"),
    "title.movers": (
        "Accounts that changed position, largest share change in value first",
        "定位变化的客户（按份额变化金额排序）",
    ),
    "title.review": ("Key-account review", "重点客户评审"),
    "title.targets": ("Next-quarter targets", "下季度目标分解"),
    "title.targets_by_position": ("Targets by position", "按定位汇总"),
    "title.pipeline": ("Funnel against benchmark", "销售漏斗与基准"),
    "title.forecast": ("Weighted forecast by account manager", "客户经理加权预测"),
    "title.high_value": ("High-value opportunities", "高价值商机"),
    "title.execution": ("Visits by rep", "业务代表拜访"),
    "title.execution_owner": ("Visit policy by account manager", "客户经理拜访达成"),
    "title.fill_rate": ("Fill rate by month", "逐月订单满足率"),
    "title.fill_rate_worst": (
        "Lowest fill rates, largest value not delivered first",
        "订单满足率最低的客户（按未交付金额排序）",
    ),
    "title.profit": ("From revenue to contribution", "从销售额到贡献利润"),
    "title.profit_accounts": ("Profit by account", "客户利润"),
    "title.rhythm": ("Revenue by week of month", "月内各周销售额"),
    "title.rhythm_accounts": ("Accounts selling mostly in the last week", "月末集中销售的客户"),
    "title.data_quality": ("Input tables", "输入数据"),
    "title.data_quality_rows": ("Rows set aside and notes", "剔除的数据与提示"),
    "title.region_spread": ("Accounts buying in several regions", "跨区域采购的客户"),
    "note.region_spread": (
        "{accounts} account(s) bought in more than one region this quarter. Each counts in one region only "
        "(data.tables.accounts.resolve: {rule}), with all of its revenue; the other regions' share is shown here.",
        "本季度有 {accounts} 个客户在多个区域采购。每个客户只计入一个区域（data.tables.accounts.resolve：{rule}），"
        "其全部销售额都计在该区域；此表列出在其他区域的采购额。",
    ),
    "note.region_spread_region": (
        "Of the revenue counted in {region}, {out} was bought in other regions; {inside} bought in {region} "
        "counts in other regions.",
        "计入{region}的销售额中有 {out} 是在其他区域采购的；在{region}采购的 {inside} 计入了其他区域。",
    ),
    "title.notes": ("Definitions", "指标定义"),
    "title.params": ("Parameters this run set (the others have their defaults)", "本次运行设定的参数（其余为默认值）"),
    "title.run": ("About this run", "运行信息"),
    "title.revenue_trend": ("Revenue against target by month", "逐月销售额与目标"),
    "title.attention": ("Where money is at stake", "需要关注的客户（按涉及金额）"),
    "title.share_lost": ("Share lost", "份额流失"),
    "title.revenue_falling": ("Revenue falling", "销售额下滑"),
    "title.fill_rate_misses": ("Fill-rate misses", "订单未满足"),
    "title.overdue_receivables": ("Overdue receivables", "逾期应收"),
    "title.over_credit_limit": ("Over the credit limit", "超出信用额度"),
    "title.key_not_visited": ("Key accounts not visited", "未拜访的重点客户"),
    "title.indicators": ("Every indicator of the quarter", "本季度全部指标"),
    "title.indicators_left": ("Sales, share of wallet, execution, fill rate", "销售、需求份额、执行、订单满足"),
    "title.indicators_right": ("Profit, pipeline and forecast, receivables", "利润、商机与预测、应收账款"),
    "title.indicator_trend": ("The five indicators by quarter", "五大指标逐季趋势"),
    "title.aging": ("Open receivables by days past due", "应收账款账龄（按逾期天数）"),
    "title.managers": ("Scorecard by account manager", "客户经理计分卡"),
    "title.regions": ("Regions side by side", "各区域对比"),
    "title.opportunity_actions": ("Opportunities to act on", "需要处理的商机"),
    # chart titles: what the chart shows and what to look for
    "chart.revenue_trend": (
        "Revenue against target by month: months whose bar ends below the line missed the target",
        "逐月销售额与目标：柱顶低于折线的月份未达目标",
    ),
    "chart.share_trend": (
        "Share of wallet by quarter: each point coloured by its change on a year before, as in the scorecard",
        "逐季需求份额：各点颜色按较去年同期的变化判定，与计分卡一致",
    ),
    "chart.pareto": (
        "Revenue concentration: how few accounts bring most of the revenue (dashed: tier A and B limits)",
        "销售集中度：少数客户贡献了大部分销售额（虚线为A、B级界限）",
    ),
    "chart.position_scatter": (
        "Share of wallet against potential: large potential with a low share is where to attack",
        "需求份额与潜力：潜力大而份额低的客户是进攻目标",
    ),
    "chart.pipeline": (
        "Open pipeline by stage against the benchmark: a bar short of its mark needs more opportunities",
        "各阶段在途商机与基准：未达到标记的阶段需要补充商机",
    ),
    "chart.execution": (
        "Visits by rep: the gap between planned and completed is the visits lost",
        "业务代表拜访：计划与完成之间的差距即为流失的拜访",
    ),
    "chart.fill_rate": (
        "Fill rate and on time in full by month: below the dashed line is red",
        "逐月订单满足率与准时足额率：低于虚线即为红色",
    ),
    "chart.profit": (
        "From revenue to contribution: what cost of goods and trade spend take away",
        "从销售额到贡献利润：销售成本与市场费用各占多少",
    ),
    "chart.rhythm": (
        "Share of each month's revenue by week: red cells are months sold late (week 4 from day {last_week_first_day})",
        "各月销售额按周分布：红色表示月末集中销售（第4周从{last_week_first_day}日起）",
    ),
    "chart.movement": (
        "Accounts by position last quarter (columns), split by where they stand now",
        "按上季度定位分列的客户数，按本季度定位分段",
    ),
    "chart.fill_rate_workbook": (
        "Fill rate and on time in full by month: look for months that dip",
        "逐月订单满足率与准时足额率：关注下滑的月份",
    ),
    "chart.plan_revenue": (
        "Revenue against target over {trend_quarters} quarters",
        "近{trend_quarters}季度销售额与目标",
    ),
    "chart.plan_rates": (
        "Share, visit frequency, margin and fill rate over {trend_quarters} quarters",
        "近{trend_quarters}季度份额、拜访频率、毛利率与订单满足率",
    ),
    "title.share_trend": ("Share of wallet by quarter", "逐季需求份额"),
    "title.pareto": ("Revenue concentration", "销售集中度"),
    "title.position_scatter": ("Share of wallet against potential", "需求份额与潜力"),
    "title.profile": ("Profile", "客户档案"),
    "title.performance": ("Performance", "业绩"),
    "title.trend": ("{trend_quarters}-quarter trend", "近{trend_quarters}季度趋势"),
    "title.mix": ("Product mix", "产品结构"),
    "title.divisions": ("Sales by division", "各事业部门销售"),
    "title.contacts": ("Decision-making unit", "决策链"),
    "title.roles_not_visited": ("Roles nobody met this quarter", "本季度未拜访的角色"),
    "title.visit_history": ("Visit history", "拜访记录"),
    "title.open_opportunities": ("Open opportunities", "进行中的商机"),
    "title.closed_opportunities": ("Won and lost this quarter", "本季度赢单与丢单"),
    "title.plan": ("Plan for next quarter", "下季度计划"),
    "title.derivation": ("How the target was derived", "目标推导"),
    "title.agreement": ("Annual agreement, year to date", "年度协议执行进度"),
    "title.receivables": ("Receivables and credit", "应收与信用"),
    "title.actions": ("Recommended actions", "建议行动"),
    "title.sites": ("Sites of the group", "集团下属工厂"),
    "title.position_history": ("Position by quarter", "各季度关系定位"),
    "title.overview": ("The plan on a page", "计划概要"),
    "title.key_facts": ("The account at a glance", "客户要点"),
    "title.top_actions": ("Top actions, most money at stake first", "重点行动（按涉及金额排序）"),
    "title.appendix": ("Why each action was recommended", "建议行动的触发规则"),
    "title.relationship": ("Relationship", "客户关系"),
    "title.opportunities": ("Opportunities", "商机"),
    # section introductions (one sentence each, for the reader)
    "intro.summary": (
        "The five key-account indicators for the quarter against target and last year; green, amber and red "
        "follow the thresholds in the params file.",
        "本季度五大重点客户指标与目标及去年同期的对比；红黄绿状态按参数文件中的阈值判定。",
    ),
    "intro.accounts": (
        "The accounts with their position, key figures and next-quarter target, largest first.",
        "各客户的关系定位、关键数据与下季度目标，按销售额从大到小排列。",
    ),
    "intro.positioning": (
        "Where we stand with each customer: maintain (share ≥ {maintain_share} % and steady), defend (high "
        "share being taken), attack (share under {defend_share} %), and how that changed since last quarter.",
        "按需求份额确定与每个客户的关系：维护（份额≥{maintain_share}%且稳定）、防御（高份额正被蚕食）、进攻（份额<{defend_share}%），及较上季度的变化。",
    ),
    "intro.targets": (
        "Next quarter's targets: weighted history × market growth for maintain and defend accounts, "
        "growth towards the target share for attack accounts.",
        "下季度目标：维护与防御客户按加权历史×市场增长，进攻客户按向目标份额增长分解。",
    ),
    "intro.pipeline": (
        "Open opportunities by funnel stage against the benchmark each stage needs to meet next quarter's target.",
        "各漏斗阶段的在途商机与达成下季度目标所需基准的对比。",
    ),
    "intro.execution": (
        "Visits against the visit policy of each account's tier, and what the visits achieved.",
        "按客户等级拜访要求衡量的拜访执行情况及拜访成效。",
    ),
    "intro.fill_rate": (
        "How much of what customers ordered we delivered, and how much arrived on time and in full.",
        "客户订货的满足程度，以及准时足额交付的比例。",
    ),
    "intro.profit": (
        "From revenue to gross profit to contribution after trade spend, and what the spend earned.",
        "从销售额到毛利，再到扣除市场费用后的贡献利润，以及费用的产出。",
    ),
    "intro.rhythm": (
        "When in the month we sell: a month sold mostly in its last week strains supply and hides demand.",
        "月内销售节奏：销售集中在月末一周会给供应带来压力并掩盖真实需求。",
    ),
    "intro.data_quality": (
        "What was read, what was used and what was set aside, with the reason for every row set aside.",
        "读取、使用与剔除的数据，以及每一行被剔除的原因。",
    ),
    "intro.notes": (
        "How the figures in this report are defined (kpis.csv and the documentation define every one).",
        "本报告中各项数据的定义（全部指标的定义见 kpis.csv 与文档）。",
    ),
    "intro.attention": (
        "The accounts to look at first, under each kind of problem, the most money at stake first: share points lost "
        "× the customer's demand, revenue lost on last year, what was not delivered at the account's price, "
        "receivables overdue, the revenue of a key account nobody visited. Accounts with less than {materiality} % of "
        "the revenue, now and a year ago, are left out.",
        "按问题类型列出需优先关注的客户，按涉及金额从大到小排列：流失的份额百分点 × 客户需求、较去年减少的销售额、"
        "按客户单价计的未交付金额、逾期应收、无人拜访的重点客户的销售额。本期及去年同期销售额占比均低于 {materiality}% 的客户不列出。",
    ),
    "intro.indicators": (
        "Every indicator of the quarter against last quarter and last year, red, amber and green where a threshold "
        "is set (report.rag), and the five indicators over {trend_quarters} quarters.",
        "本季度全部指标与上季度及去年同期的对比（设有阈值的按 report.rag 显示红黄绿），以及近{trend_quarters}季度五大指标趋势。",
    ),
    "intro.managers": (
        "Each account manager's accounts in the region side by side: the five indicators, pipeline coverage, "
        "forecast accuracy and how many key accounts each serves.",
        "本区域各客户经理所辖客户的对比：五大指标、商机覆盖、预测准确率以及各自负责的重点客户数。",
    ),
    "intro.regions": (
        "The regions side by side on the five indicators, with the company's total.",
        "各区域五大指标对比，以及全公司合计。",
    ),
    "intro.plan": (
        "Next quarter's target and how it was derived, the annual agreement so far, and receivables and credit.",
        "下季度目标及其推导、年度协议执行进度，以及应收与信用。",
    ),
    "intro.overview": (
        "The five indicators against target and last year, and what to do next quarter.",
        "五大指标与目标及去年同期的对比，以及下季度要做的事。",
    ),
    "intro.appendix": (
        "For analysts: the rule (planning.actions in the params file) that raised each recommended action, "
        "and its condition.",
        "供分析人员参考：触发每条建议行动的规则（参数文件 planning.actions）及其条件。",
    ),
    "intro.run": (
        "For analysts: about this run, and the parameters its params file set (files by name; run.json in the "
        "run folder records every value, path and input file in full).",
        "供分析人员参考：本次运行信息及参数文件设定的参数（文件只列文件名；运行文件夹中的 run.json 完整记录所有取值、路径与输入文件）。",
    ),
    "intro.profile": (
        "Who the customer is and where we stand: group and sites, tier, relationship position and competition.",
        "客户概况与我方地位：集团与工厂、等级、关系定位与竞争情况。",
    ),
    "intro.performance": (
        "The indicators' trend over {trend_quarters} quarters, every indicator of the quarter against last quarter "
        "and last year, and what the customer buys from us.",
        "近{trend_quarters}季度指标趋势、本季度全部指标与上季度及去年同期的对比，以及客户向我方采购的产品结构。",
    ),
    "intro.relationship": (
        "The customer's decision-making unit, the roles nobody met this quarter, and the visits made.",
        "客户决策链、本季度无人拜访的角色，以及拜访记录。",
    ),
    "intro.opportunities": (
        "Open opportunities with their funnel stage and value score, and what was won and lost this quarter.",
        "进行中的商机及其漏斗阶段与价值评分，以及本季度的赢单与丢单。",
    ),
    # what each chapter's cell of a report notebook says to the analyst (markdown above the cell)
    "notebook.summary": (
        "The scorecard of the five indicators against target and last year (red / amber / green from "
        "`report.rag` in the params), the quarter's key numbers, what changed, and revenue against target by month.",
        "五大指标与目标及去年同期对比的计分卡（红黄绿阈值见参数 `report.rag`）、本季度关键数据、本季度变化，以及逐月销售额与目标。",
    ),
    "notebook.accounts": (
        "Every account with its tier, position, headline KPIs and next-quarter target; the Pareto curve shows "
        "how concentrated revenue is.",
        "所有客户的等级、关系定位、主要指标与下季度目标；帕累托曲线显示销售额的集中程度。",
    ),
    "notebook.positioning": (
        "Maintain / defend / attack from share of wallet and its change, how positions moved since last "
        "quarter, and the key-account review (accounts added and dropped).",
        "按需求份额及其变化确定维护 / 防御 / 进攻，较上季度的定位变化，以及重点客户评审（新增与移除）。",
    ),
    "notebook.targets": (
        "Next quarter's targets decomposed by position: weighted history × market growth, or growth towards "
        "the target share for attack accounts.",
        "按关系定位分解的下季度目标：加权历史 × 市场增长，进攻客户按向目标份额增长。",
    ),
    "notebook.pipeline": (
        "Open opportunities per funnel stage against the benchmark the next-quarter target needs, the weighted "
        "forecast and its accuracy by account manager, the high-value opportunities, and the opportunities an action "
        "rule calls for (open past their expected close …), most money first.",
        "各漏斗阶段在途商机与下季度目标所需基准的对比、客户经理预测及其准确率、高价值商机，以及行动规则提示需处理的商机"
        "（超过预计成交日仍未关闭等），按金额排序。",
    ),
    "notebook.execution": (
        "Visits by rep, and by account manager: visit frequency against the tier policy, visit success, displays "
        "and promotions (run, lead time, on time); the key accounts nobody visited are in the money-at-stake chapter.",
        "业务代表拜访情况，以及各客户经理的拜访频率达成、拜访成功率、陈列与促销（执行次数、提前天数、按时提交）；"
        "无人拜访的重点客户见风险金额一章。",
    ),
    "notebook.fill_rate": (
        "Order fill rate and on-time-in-full by month, and the material accounts we served worst, by the value "
        "not delivered (`report.materiality`).",
        "逐月订单满足率与准时足额率，以及按未交付金额排序的服务最差的重要客户（参数 `report.materiality`）。",
    ),
    "notebook.profit": (
        "From revenue to gross profit to contribution after trade spend, and the accounts behind it.",
        "从销售额到毛利再到扣除市场费用后的贡献利润，以及背后的客户。",
    ),
    "notebook.rhythm": (
        "Revenue by week of month (the last week starts on `kpi.last_week_first_day`): months sold mostly in "
        "their last week, and the accounts that do it.",
        "按月内周次的销售额（月末一周从 `kpi.last_week_first_day` 日开始）：集中在月末一周销售的月份与客户。",
    ),
    "notebook.data_quality": (
        "What was read, used and set aside, and why (every row set aside is in `data_quality.csv`).",
        "读取、使用与剔除的数据及原因（所有剔除的行见 `data_quality.csv`）。",
    ),
    "notebook.notes": (
        "Definitions of every figure and the parameters this run used.",
        "各项数据的定义以及本次运行使用的参数。",
    ),
    "notebook.attention": (
        "The exceptions of the material accounts (`report.materiality`) under their sub-headings, largest amount at "
        "stake first, and the accounts over their credit limit (every exception is in the run's results).",
        "重要客户（参数 `report.materiality`）的异常按类型分列，按涉及金额排序，以及超出信用额度的客户。",
    ),
    "notebook.indicators": (
        "Every KPI of the view this quarter, last quarter and a year ago with its status (`report.rag`), the five "
        "indicators by quarter (`kpi.trend_quarters`) and the receivables by days past due.",
        "本视图全部指标的本季度、上季度与去年同期数值及状态（参数 `report.rag`）、五大指标逐季趋势（参数 "
        "`kpi.trend_quarters`）以及应收账款账龄。",
    ),
    "notebook.managers": (
        "The scorecard of each account manager of the region (`owner_scorecard` in the results) and the region's "
        "total row, which equals the region; key accounts per manager against `planning.kam_capacity`.",
        "本区域各客户经理计分卡（结果中的 `owner_scorecard`）及等于本区域的合计行；人均重点客户数对照参数 "
        "`planning.kam_capacity`。",
    ),
    "notebook.regions": (
        "The regions' indicators side by side with the company's total (the region rows of `kpis.csv`).",
        "各区域指标对比及全公司合计（`kpis.csv` 中的区域行）。",
    ),
    "notebook.overview": (
        "The plan's first page: the five indicators against target and last year, the key facts and the "
        "recommended actions in full sentences (the rules behind them are in the analysts' appendix).",
        "计划首页：五大指标与目标及去年同期对比、客户要点，以及完整表述的建议行动（触发规则见分析附录）。",
    ),
    "notebook.appendix": (
        "Which action rule (`planning.actions` in the params) raised each recommended action, with its condition.",
        "每条建议行动由哪条规则（参数 `planning.actions`）触发，及其条件。",
    ),
    "notebook.run": (
        "Every parameter of the run, one key a row (file names without their folders).",
        "本次运行的全部参数，每行一项（文件只列文件名）。",
    ),
    "notebook.profile": (
        "Who the customer is: group and its other sites (with their revenue), region, owner, tier, position and "
        "its history, potential, competitor and decision style.",
        "客户概况：集团及其他工厂（含销售额）、区域、负责人、等级、关系定位及其历史、潜力、竞争对手与决策风格。",
    ),
    "notebook.performance": (
        "The KPIs' trend over the run's trend quarters (`kpi.trend_quarters`), every KPI of the quarter against last "
        "quarter and last year with its status (`report.rag`), the product mix and the cross-division sales (the "
        "scorecard is on the plan's first page).",
        "近若干季度指标趋势（参数 `kpi.trend_quarters`）、本季度全部指标与上季度及去年同期的对比及状态（参数 "
        "`report.rag`）、产品结构与跨事业部销售（计分卡在计划首页）。",
    ),
    "notebook.relationship": (
        "The decision-making unit by role with influence and strength, the roles nobody visited this quarter, "
        "and the visit history.",
        "按角色列出的决策链及其影响力与关系强度、本季度无人拜访的角色，以及拜访记录。",
    ),
    "notebook.opportunities": (
        "Open opportunities with stage, amount, weighted amount, value score and its four dimensions; won and "
        "lost this quarter; the opportunities an action rule calls for.",
        "进行中的商机及其阶段、金额、加权金额、价值评分与四个维度；本季度的赢单与丢单；行动规则提示需处理的商机。",
    ),
    "notebook.plan": (
        "Next quarter's target and its derivation, the annual agreement year to date, and receivables and credit (the actions are on the plan's first page, their rules in the appendix).",
        "下季度目标及其推导、年度协议执行进度，以及应收与信用（建议行动在计划首页，触发规则见附录）。",
    ),
    # sentences
    "absent": (
        "This section needs the {table} table: add it under data.tables in the params file.",
        "本部分需要 {table} 数据表：请在参数文件的 data.tables 中加入。",
    ),
    "absent.table": (
        "{title}: needs the {table} table — add it under data.tables in the params file.",
        "{title}：需要 {table} 数据表——请在参数文件的 data.tables 中加入。",
    ),
    "none": ("Nothing to show for this quarter.", "本季度无相关数据。"),
    "group.none": ("None (not part of a group)", "无（不属于任何集团）"),
    "empty.roles_met": ("Every role was met this quarter.", "本季度所有角色均已拜访。"),
    "empty.unbalanced": (
        "No account sold mostly in the last week of the month.",
        "没有客户的销售集中在月末一周。",
    ),
    "empty.objectives": ("No objective is due this quarter or still open.", "本季度没有到期或未完成的目标。"),
    "empty.promotion_calendar": (
        "No promotion is planned for the next three months.",
        "未来三个月没有计划中的促销。",
    ),
    "empty.promotion_results": ("No planned promotion started this quarter.", "本季度没有开始的计划促销。"),
    "empty.bids": ("No bid is open and none was decided this quarter.", "没有未决投标，本季度也没有决标。"),
    "empty.open_bids": ("No bid is open.", "没有未决投标。"),
    "empty.forecast_levels": ("No forecast was submitted above the accounts.", "客户以上层级没有提交预测。"),
    "empty.movers": ("No account changed position since last quarter.", "较上季度没有客户改变关系定位。"),
    "empty.review": ("No key account was added or dropped.", "没有新增或移出的重点客户。"),
    "empty.high_value": ("No open high-value opportunity.", "没有进行中的高价值商机。"),
    "empty.at_stake": ("No material account here this quarter.", "本季度没有重要客户属于此类。"),
    "empty.opportunity_actions": ("No opportunity needs an action.", "没有需要处理的商机。"),
    "empty.closed": ("Nothing was won or lost this quarter.", "本季度没有赢单或丢单。"),
    "plans.separate": (
        "Underlined names are key accounts: they link to their plans, which come as separate files in the run "
        "folder (accounts/); keep them beside this workbook for the links to open.",
        "带下划线的名称为重点客户，链接到其客户计划；计划是运行文件夹（accounts/）中的单独文件，需与本工作簿放在一起才能打开链接。",
    ),
    "plans.published": (
        "Underlined names are key accounts: they link to their plans where the run is published.",
        "带下划线的名称为重点客户，链接到运行发布位置中的客户计划。",
    ),
    "note.frequency_capped": (
        "Visit frequency counts at most the visits each account requires (extra visits to one account do not "
        "make up for another), so it can be lower than completed ÷ required.",
        "拜访频率达成按每个客户要求的拜访次数封顶计算（对一个客户的额外拜访不能弥补另一个客户），因此可能低于完成拜访 ÷ 要求拜访。",
    ),
    "note.weeks": (
        "Week 1 is days 1–7 of the month, week 2 days 8–14, week 3 from day 15, week 4 from day "
        "{last_week_first_day} to the month's end.",
        "第1周为每月1–7日，第2周为8–14日，第3周从15日起，第4周从{last_week_first_day}日起至月末。",
    ),
    "note.credit": (
        "Credit used over 100 % means the open receivables exceed the credit limit.",
        "信用额度使用率超过100%表示未收应收账款已超过信用额度。",
    ),
    "note.accounts_key": (
        "Key accounts; each region's report lists all of its accounts, and accounts.csv every account.",
        "仅列重点客户；各区域报告列出该区域全部客户，accounts.csv 包含所有客户。",
    ),
    "note.targets_key": (
        "Key accounts; every account's target is on the Accounts sheet and in the totals by position.",
        "仅列重点客户；所有客户的目标见“客户”工作表及按定位汇总。",
    ),
    "note.top": ("The first {shown} of {total}.", "共 {total} 项，显示前 {shown} 项。"),
    "note.html_top": (
        "The first {shown:,} of {total:,} accounts; the other {more:,} are in the workbook and in accounts.csv.",
        "共 {total:,} 个客户，显示前 {shown:,} 个；其余 {more:,} 个见工作簿和 accounts.csv。",
    ),
    "note.not_meaningful": (
        "n.m.: not meaningful, the ratio's base (last year's revenue, demand, trade spend, quantity ordered …) "
        "is below kpi.min_base_revenue, kpi.min_base_spend or kpi.min_base_units.",
        "无意义：该比率的基数（去年同期销售额、需求、费用、订货量等）低于 kpi.min_base_revenue、kpi.min_base_spend "
        "或 kpi.min_base_units。",
    ),
    "note.owner_scorecard": (
        "The total row is the region's. Key accounts per manager: red above planning.kam_capacity ({capacity}).",
        "合计行即本区域数据。人均重点客户数超过 planning.kam_capacity（{capacity}）显示为红色。",
    ),
    "changed.at_stake": ("{text} ({amount} at stake)", "{text}（涉及 {amount}）"),
    "action.at_stake": (" ({amount} at stake)", "（涉及 {amount}）"),
    "tier_with_last": ("{tier} ({label}: {last})", "{tier}（{label}：{last}）"),
    "action.line": ("{name}: {action}", "{name}：{action}"),
    "fact.target_nq": ("Target next quarter", "下季度目标"),
    "no_visits": ("No visits recorded for this account this quarter.", "本季度没有该客户的拜访记录。"),
    "no_opportunities": ("No open opportunities for this account.", "该客户没有进行中的商机。"),
    "no_contacts": ("No contacts recorded for this account.", "没有该客户的联系人记录。"),
    "no_actions": ("No action rule applies this quarter.", "本季度没有触发的行动规则。"),
    "changed.share_lost": (
        "{name}: share fell {points:.1f} points on last year",
        "{name}：份额较去年同期下降 {points:.1f} 个百分点",
    ),
    "changed.revenue_falling": (
        "{name}: revenue {before} → {now} on last year",
        "{name}：销售额较去年同期 {before} → {now}",
    ),
    "changed.fill_rate_miss": (
        "{name}: {unfilled} of {ordered} units ordered not delivered",
        "{name}：订货 {ordered} 件中 {unfilled} 件未交付",
    ),
    "changed.overdue_receivables": (
        "{name}: {overdue} overdue, {over_90} of it over 90 days",
        "{name}：逾期应收 {overdue}，其中超过90天 {over_90}",
    ),
    "changed.key_not_visited": ("{name}: key account not visited this quarter", "{name}：重点客户本季度未拜访"),
    "changed.mover": (
        "{name}: {before} → {after}, share {share_pq} → {share}",
        "{name}：{before} → {after}，份额 {share_pq} → {share}",
    ),
    "changed.dropped": ("{name} is no longer a key account", "{name} 不再是重点客户"),
    "changed.added": ("{name} became a key account", "{name} 成为重点客户"),
    "changed.nothing": ("No notable change this quarter.", "本季度无明显变化。"),
    "more_rows": (
        "{shown:,} of {total:,} rows shown; every row is in data_quality.csv.",
        "显示 {total:,} 行中的 {shown:,} 行；全部数据见 data_quality.csv。",
    ),
    "bridge.revenue": ("Revenue", "销售额"),
    "bridge.unknown_cost": ("Revenue without cost data", "无成本数据的销售额"),
    "bridge.cost": ("Cost of goods", "销售成本"),
    "bridge.gross_profit": ("Gross profit", "毛利"),
    "bridge.spend": ("Trade spend", "市场费用"),
    "bridge.contribution": ("Contribution", "贡献利润"),
    "total": ("Total", "合计"),
    "count.accounts": ("Accounts", "客户数"),
    "count.key_accounts": ("Key accounts", "重点客户数"),
    "target_line": ("Target", "目标"),
    "revenue_bar": ("Revenue", "销售额"),
    "cumulative_share": ("Cumulative share of revenue", "累计销售额占比"),
    "accounts_ranked": ("Accounts ranked by revenue", "按销售额排序的客户"),
    "benchmark_marker": ("Benchmark", "基准"),
    "run.period": ("Quarter", "季度"),
    "run.scope": ("Scope", "范围"),
    "run.company": ("Company", "公司"),
    "run.region": ("Region", "区域"),
    "run.account": ("Account", "客户"),
    "run.group": ("Group", "集团"),
    "run.owner": ("Account manager", "客户经理"),
    "run.made": ("Made", "生成时间"),
    "run.as_of": ("Data as of", "数据截至"),
    "run.version": ("kamreport version", "kamreport 版本"),
    "run.inputs": ("Input files", "输入文件"),
    "run.contents": ("Contents", "目录"),
    "nav.index": ("All reports of this run", "本期全部报告"),
    "nav.plans": ("Account plans", "客户计划"),
    "run.title": ("Key-account report", "重点客户报告"),
    "run.plan_title": ("Account plan", "客户计划"),
    "run.group_plan_title": ("Group account plan", "集团客户计划"),
    "run.workbook": ("Workbook", "工作簿"),
    "run.report": ("Report", "报告"),
    "run.plan": ("Plan", "计划"),
    "run.failed": ("Failed reports", "失败的报告"),
    "run.previous": ("Previous run", "上一期"),
    "run.reports": ("Reports", "报告"),
    "run.plans": ("Account plans", "客户计划"),
    "run.data": ("Data", "数据"),
    "run.status": ("Status", "状态"),
    # the e-mail of `kamreport mail`
    "mail.subject": (
        "{company} — {scope} — {period}: key-account pack",
        "{company} — {scope} — {period}：重点客户报告",
    ),
    "mail.greeting": ("Dear {name},", "{name}，您好："),
    "mail.intro": (
        "Here is the key-account pack of {scope} for {period}: the scorecard, what changed and the top actions, "
        "and at the end the workbooks.",
        "以下是{scope}（{period}）的重点客户报告：关键指标、本季度变化与重点行动，工作簿列在文末。",
    ),
    "mail.intro_body_only": (
        "Here are the scorecard, what changed and the top actions of {scope} for {period}. "
        "No key account, so no plan is attached.",
        "以下是{scope}（{period}）的关键指标、本季度变化与重点行动。没有重点客户，因此没有附件。",
    ),
    "mail.attached": ("Attached", "附件"),
    "mail.too_large": (
        "Not attached (together above {limit} MB); find them in the run folder:",
        "以下文件合计超过 {limit} MB，未随邮件发送，请在运行文件夹中查看：",
    ),
    "mail.footer": (
        "Made by kamreport on {made}; data as of {as_of}. The figures are those of the workbooks.",
        "由 kamreport 于 {made} 生成；数据截至 {as_of}。邮件中的数字与工作簿一致。",
    ),
    "formula.maintain": (
        "base × (1 + market growth {growth:.1%})",
        "基数 × (1 + 市场增长 {growth:.1%})",
    ),
    "formula.attack": (
        "base + {capture:.0%} × (target share {share:.0%} × demand − base)",
        "基数 + {capture:.0%} × (目标份额 {share:.0%} × 需求 − 基数)",
    ),
    "formula.base": (
        "base = {w0:g} × revenue this quarter + {w1:g} × last quarter + {w2:g} × two quarters ago",
        "基数 = {w0:g} × 本季度销售额 + {w1:g} × 上季度 + {w2:g} × 前两季度",
    ),
    "formula.closed": ("closed account: target 0", "已关闭客户：目标为0"),
    "formula.reconciled": (
        "scaled to the company target: × {factor:.4f}",
        "按公司目标调整：× {factor:.4f}",
    ),
}


def document_title(level: str, name: str, period: object, lang: Language) -> str:
    """``Key-account report — East — 2026Q3`` / ``Account plan — … — …``: one title for page, file and workbook."""
    key = {"account": "run.plan_title", "group": "run.group_plan_title"}.get(level, "run.title")
    return f"{t(key, lang)} — {name} — {period}"


def run_figures(params: RunParams) -> dict[str, str]:
    """The params values a label may name (``{trend_quarters}`` …), as the label shows them (shares in %)."""
    positions = params.planning.positions
    return {
        "trend_quarters": str(params.kpi.trend_quarters),
        "last_week_first_day": str(params.kpi.last_week_first_day),
        "promo_on_time_lead_days": str(params.kpi.promo_on_time_lead_days),
        "maintain_share": f"{positions.maintain_share * 100:g}",
        "defend_share": f"{positions.defend_share * 100:g}",
        "materiality": f"{params.report.materiality * 100:g}",
    }


def run_text(text: str, params: RunParams) -> str:
    """A label with the run's own figures filled in (:func:`run_figures`).

    Labels never state a params value themselves ("eight quarters", "day 22", "70 %"): they
    name it, and this fills it from the run's params.
    """
    for name, value in run_figures(params).items():
        text = text.replace(f"{{{name}}}", value)
    return text


def t(key: str, lang: Language) -> str:
    """The label ``key`` in ``lang``."""
    en, zh = TEXT[key]
    return zh if lang == "zh" else en


def kpi_label(kpi: str, lang: Language) -> str:
    """The name of a KPI id."""
    en, zh, _, _ = KPI_TEXT[kpi]
    return zh if lang == "zh" else en


def kpi_definition(kpi: str, lang: Language) -> str:
    """The one-line definition of a KPI id."""
    _, _, en, zh = KPI_TEXT[kpi]
    return zh if lang == "zh" else en


def column_label(column: str, lang: Language) -> str:
    """The header of a column: a KPI's name, a known column's label, an enum value's label, else the id.

    Enum values head the columns of cross tables (positions now by positions last quarter).
    """
    if column in KPI_TEXT:
        return kpi_label(column, lang)
    if column in COLUMNS:
        en, zh = COLUMNS[column]
        return zh if lang == "zh" else en
    if column in VALUES:
        return value_label(column, lang)
    return column


def value_label(value: object, lang: Language) -> str:
    """An enum value (position, status …) in ``lang``; other values as text."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    key = str(value)
    if key in VALUES:
        en, zh = VALUES[key]
        return zh if lang == "zh" else en
    return key


def stage_label(stage: int, lang: Language) -> str:
    """A funnel stage with its name."""
    en, zh = STAGES[int(stage)]
    return zh if lang == "zh" else en


def table_label(table: str, lang: Language) -> str:
    """An input table's name (``sales`` / 销售明细); a table the labels do not know, as its id."""
    en, zh = INPUT_TABLES.get(table, (table, table))
    return zh if lang == "zh" else en


def reason_text(text: str, lang: Language) -> str:
    """A data-quality reason or note in ``lang`` (several joined by ``; `` each translated).

    Counts such as ``(1,234)`` after a reason are kept; text that matches no known reason is
    shown as written (it quotes the data).
    """
    if lang == "en" or not text:
        return text
    return "；".join(_one_reason(part) for part in text.split("; "))


_BLANKED = " — left blank, the row is kept"


def _one_reason(part: str) -> str:
    if part.endswith(_BLANKED):  # a note: the reason a value was blanked, then what happened
        return _one_reason(part.removesuffix(_BLANKED)) + "——该值留空，该行保留"
    account = re.fullmatch(r"account (\S+) set aside: (.*)", part)
    if account:  # a line of an account set aside: the account's own reason, translated too
        return f"客户 {account.group(1)} 已被剔除：{_one_reason(account.group(2))}"
    count = re.fullmatch(r"(.*) \(([\d,]+)\)", part)
    body, suffix = (count.group(1), f"（{count.group(2)}）") if count else (part, "")
    for pattern, (_en, zh) in REASONS.items():
        found = re.fullmatch(pattern, body)
        if found:
            text = zh
            for i, group in enumerate(found.groups(), start=1):
                text = text.replace("{" + str(i) + "}", group)
            return text + suffix
    return part


def indicator_label(indicator: str, lang: Language) -> str:
    """One of the five KA indicators."""
    en, zh = INDICATORS[indicator]
    return zh if lang == "zh" else en
