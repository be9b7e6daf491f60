export default {
  app: { name: '共治', skip: '跳到主要内容' },
  nav: { home: '首页', newAppeal: '我要反映', myData: '我的数据', queue: '诉求办理', dashboard: '办理统计', signOut: '退出登录', back: '返回' },
  elder: { mode: '长辈模式', readAloud: '朗读本页', stop: '停止朗读' },
  lang: { switchTo: 'English', label: '切换语言' },
  signIn: {
    title: '登录', phone: '手机号', password: '密码', totp: '动态验证码（工作人员）', totpHint: '村民不用填写',
    submit: '登录', phoneRequired: '请填写手机号', passwordRequired: '请填写密码', failed: '登录失败',
  },
  home: {
    hello: '{name}，您好', openAppeals: '我的诉求', none: '您还没有正在办理的诉求', needsAnswer: '等您评价',
    noneToRate: '暂时没有需要您评价的事项', rateNow: '去评价', newAppeal: '我要反映问题', answerDue: '办理期限 {time}',
    overdue: '已超期', allAppeals: '全部诉求',
  },
  state: {
    submitted: '已提交', accepted: '已签收', in_progress: '办理中', answered: '已答复待评价', reopened: '已重新办理',
    closed: '已办结', rejected: '不予受理', contested: '申诉中', withdrawn: '已撤回', escalated: '已升级',
  },
  action: {
    submit: '提交', accept: '签收', start: '开始办理', answer: '答复', transfer: '流转', reject: '不予受理', rate: '评价',
    reopen: '重新办理', withdraw: '撤回', contest: '申诉', note: '备注', escalate: '超期升级', join: '附议',
    uphold: '维持', overturn: '撤销', visit: '回访', photo: '照片',
  },
  newAppeal: {
    title: '我要反映', step1: '第一步：选择问题类别', step2: '第二步：说说情况', step3: '第三步：确认提交',
    text: '情况说明', textPlaceholder: '请说明在哪里、发生了什么（可用键盘上的话筒说话输入）', photo: '附一张照片（可选）',
    similar: '这些相同的问题已经有人反映，正在办理中', similarHint: '可以直接附议，不用重复提交', join: '附议', joined: '已附议，共 {n} 人关注',
    noSimilar: '没有相同的问题，请继续提交', submit: '提交诉求', submitted: '提交成功', textRequired: '请填写情况说明',
    draftKept: '草稿已保存在本机', draftRestored: '已恢复上次未提交的草稿', offline: '现在没有网络，草稿已保存，联网后会自动提交',
    sentFromDraft: '联网后已自动提交您的草稿', changeCategory: '换一个类别', supporters: '{n} 人关注',
  },
  appeal: {
    title: '诉求详情', timeline: '办理过程', content: '反映内容', category: '类别', state: '状态', submittedAt: '提交时间',
    answerDue: '办理期限', rateTitle: '请您评价这次答复', satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意',
    solved: '问题已经解决', ratingNote: '想说的话（可选）', sendRating: '提交评价', rated: '评价已提交', ratingRequired: '请选择满意程度',
    reopenHint: '选择"不满意"会让这件事重新办理', yourRating: '您的评价', capacity: { submitter: '本人', staff: '工作人员', system: '系统', helper: '帮办员' },
    contestTitle: '对不予受理有异议？可以申诉', withdrawTitle: '问题已自行解决？可以撤回', ownNote: '说明（可选）',
    notFound: '找不到这条诉求',
  },
  myData: {
    title: '我的数据', held: '平台保存的关于我的信息', reads: '谁查看过我的信息', consents: '我的帮办授权', none: '暂无记录',
    purpose: '用途', reader: '查看人', revoke: '撤销授权', revoked: '已撤销', printable: '打开可打印版本', helper: '帮办员',
    validUntil: '有效期至', status: '状态', account: '账户', name: '姓名', phone: '手机号', village: '所在村', household: '户',
  },
  staff: {
    queue: '诉求办理', filterState: '状态', filterAll: '全部', open: '待办', dueSoon: '即将到期', overdueOnly: '已超期',
    due: '期限', noItems: '没有符合条件的诉求', note: '办理说明', notePlaceholder: '写给村民的说明（答复、不予受理时必填）',
    internal: '内部备注（村民看不到）', addNote: '添加备注', unit: '流转到（如 township:420114001）', done: '已完成：{action}',
    version: '版本', village: '村', refresh: '刷新',
  },
  dashboard: {
    title: '办理统计', groupBy: '统计范围', village: '按村', township: '按乡镇', county: '按县', unit: '按办理单位',
    response: '响应率', resolution: '解决率', satisfaction: '满意率', sample: '样本 {n} 件', noData: '暂无数据',
    chart: '三率对比图', table: '明细表', group: '单位', filed: '受理件数', lastDays: '近 90 天',
  },
  common: { loading: '加载中…', retry: '重试', error: '出错了', save: '保存', cancel: '取消', confirm: '确定', yes: '是', no: '否', minutes: '分钟' },
  category: { choose: '选择类别' },
};
