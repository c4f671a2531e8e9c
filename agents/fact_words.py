"""The words the extraction rules know: relations, jobs, medicines, diets, health conditions, employers.

Vocabularies as regular-expression alternations (``"wife|husband|..."``) and Chinese words
with the English slugs they stand for, English and Chinese side by side;
:mod:`tiermem.agents.fact_patterns` builds its rules from them.
"""

from __future__ import annotations

from .fact_values import RELATION_SLUGS
from .relation_slugs import CAT_BREEDS, DOG_BREEDS

_ANIMALS = (  # noqa: SIM905 (a list of words reads better as words)
    "dog|cat|puppy|kitten|hamster|rabbit|bunny|parrot|budgie|guinea pig|turtle|tortoise|horse|pony|ferret|gerbil|"
    "lizard|snake|goldfish"
).split("|")


def longest_first(words: list[str]) -> str:
    """``words`` as a regex alternation, the longest first ("golden retriever" before "retriever")."""
    return "|".join(sorted(words, key=lambda word: (-len(word), word)))


BREEDS = longest_first([*DOG_BREEDS, *CAT_BREEDS])
"""The dog and cat breeds a pet is named by, as a regex alternation."""
PETS = longest_first([*_ANIMALS, *DOG_BREEDS, *CAT_BREEDS])
"""Words for the pets a user may have and name ("my hamster Biscuit", "my golden retriever Max"), the
longest first; each a relation of its own, a breed its animal's."""
PET_SLUGS = tuple(dict.fromkeys(RELATION_SLUGS.get(word, word) for word in _ANIMALS))
"""The pets as relation slugs: ``dog``, ``cat``, ``hamster``, ``guinea_pig`` ..."""
RELATIONS = (
    "parents[- ]in[- ]law|in[- ]laws|grandparents|siblings|"
    "(?:mother|mom|father|sister|brother|son|daughter)[- ]in[- ]law|step-?(?:mom|mother|dad|father|son|daughter)|"
    "grandson|granddaughter|niece|nephew|"
    "wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|son|daughter|children|child|kids?|parents|mother|mom|mum|father|dad|"
    "sister|brother|grandmother|grandma|grandfather|grandpa|aunt|uncle|cousin|friend|boss|manager|supervisor|"
    "roommate|coworker|colleague|"
    "gf|bf|bro|sis|hubby|wifey|bestie|baby girl|baby boy|"
    f"{PETS}"
)
ZH_RELATIONS = longest_first([word for word in RELATION_SLUGS if word[0] >= "\u2e80"])
"""Every Chinese word for a relation (姐妹, 姐姐, 妹, 孩子, 阿姨 ...), the longest first, so 妈妈 is read before 妈."""
JOBS = (
    "nurse|teacher|doctor|physician|surgeon|dentist|pharmacist|engineer|developer|programmer|scientist|"
    "researcher|lawyer|attorney|paralegal|accountant|auditor|banker|designer|architect|student|professor|lecturer|"
    "tutor|manager|consultant|analyst|firefighter|police\\s+officer|cop|detective|chef|cook|baker|butcher|"
    "bartender|driver|pilot|flight\\s+attendant|writer|author|journalist|reporter|editor|translator|interpreter|"
    "artist|painter|musician|singer|actor|actress|dancer|photographer|farmer|electrician|plumber|carpenter|"
    "mechanic|welder|technician|cashier|clerk|salesperson|salesman|saleswoman|realtor|broker|therapist|"
    "psychologist|counselor|counsellor|social\\s+worker|vet|veterinarian|librarian|soldier|paramedic|midwife|"
    "caregiver|nanny|babysitter|housekeeper|janitor|gardener|barista|waiter|waitress|receptionist|"
    "secretary|assistant|intern|entrepreneur|founder|ceo|cto|cfo|director|supervisor|principal|coordinator|"
    "administrator|officer|executive|stylist|hairdresser|barber|beautician|coach|trainer|instructor|"
    "practitioner|stay-at-home\\s+(?:mom|mum|dad|parent|mother|father)|homemaker|housewife|"
    "[a-z]+(?:ologist|ician|iatrist|ographer|ometrist|otherapist|odontist|ectomist)|hygienist|dietitian|"
    "nutritionist|chemist|economist|statistician|florist|pianist|violinist|guitarist|machinist|anesthetist|"
    "curator|archivist|illustrator|animator|copywriter|recruiter|contractor|freelancer|surveyor|inspector|"
    "sailor|fisherman|miner|courier|dispatcher"
)
"""Occupations said as "I'm a ...": a word list, as "I'm a ..." says many other things ("a mess")."""
JOB_WORDS_BEFORE = (
    r"(?:(?!(?:good|great|terrible|bad|awful|decent|lousy|horrible|amazing|excellent|better|worse|best|worst|"
    r"huge|big|natural|born|aspiring|wannabe|would-be|budding|amateur|hobby|weekend|casual|fantastic|poor|"
    r"mediocre|average|talented|gifted|keen|avid|passionate|enthusiastic|self-taught|home|hopeless|lazy|messy|"
    r"picky|failed|frustrated|at|for|with|in|from|and|on|by|to)\b)[a-z-]+\s+){0,3}"
)
"""Up to three words said before a job word (:data:`JOBS`: "pediatric nurse", "high school math
teacher"), none that judges or says a pastime ("a terrible cook", "an amateur photographer", "a
home baker" are no occupation), nor a word that ends the job said ("a lawyer at Baker McKenzie":
Baker is the firm)."""
ZH_JOBS = (
    "老师|教师|医生|护士|工程师|程序员|律师|会计|设计师|学生|研究生|博士生|警察|消防员|司机|厨师|记者|作家|"
    "销售|经理|公务员|教授|药剂师|建筑师|研究员|翻译|演员|歌手|画家|农民|快递员|外卖员|"
    "副总经理|总经理|副总裁|总裁|副总|董事长|主管|总监|主任|组长|店长|主编|主厨|校长|院长|科长|处长|部长|"
    "牙医|兽医|护工|保姆|服务员|秘书|保安|清洁工|理发师|营养师|咨询师|分析师|会计师|摄影师|飞行员|空姐|导游|军人|"
    "电工|职员|实习生|全职妈妈|家庭主妇|自由职业者|健身教练|教练|法官|模特|主播|客服|收银员"
)
ZH_DRUGS = (
    r"[^\s，。！？]{1,6}?(?:霉素|西林|他汀|沙坦|洛尔|地平|双胍|唑|芬|酮|胰岛素|激素)|头孢[^\s，。！？]{0,4}|阿司匹林|布洛芬|"
    r"降压药|降糖药|抗生素|优甲乐"
)
"""Medicines Chinese names without 药 or 片 (二甲双胍, 头孢, 阿莫西林): common names and the
endings of their kinds (霉素 -mycin, 西林 -cillin, 他汀 -statin, 沙坦 -sartan, 洛尔 -olol)."""
DRUGS = (
    r"(?:[a-z]+(?:profen|cillin|mycin|cycline|floxacin|statin|sartan|olol|pril|prazole|dipine|formin|oxetine|"
    r"traline|alopram|triptan|afil|semide|thiazide|lukast|gliptin|glutide|thyroxine|zepam|azolam|nisone|nisolone)"
    r"|aspirin|paracetamol|acetaminophen|tylenol|advil|motrin|aleve|insulin|melatonin|lithium|adderall|ritalin|"
    r"xanax|zoloft|prozac|lexapro|wellbutrin|ozempic|wegovy|mounjaro|warfarin|eliquis|synthroid|antibiotics|"
    r"antidepressants|antihistamines|steroids|birth\s+control|vitamin\s+(?:[a-e]\d{0,2}|k2)|multivitamins?|fish\s+oil|"
    r"omega[- ]3s?|probiotics?|magnesium|zinc|iron\s+(?:pills|supplements|tablets)|folic\s+acid|biotin|creatine)"
)
"""Medicines by name, or by the endings of their kinds (-profen, -cillin, -statin, -olol, -pril ...)."""
DIETS = r"vegetarian|vegan|pescatarian|gluten[- ]free|dairy[- ]free|keto|halal|kosher"
"""Diets one is ("I'm vegan"); "diabetic", "celiac" or "lactose intolerant" say a condition
(:data:`CONDITION_ADJECTIVES`)."""
ZH_DIETS = r"素食者|素食|纯素|vegetarian|vegan"
ZH_PETS = "猫咪|狗狗|小猫|小狗|猫|狗|仓鼠|兔子|虎皮鹦鹉|鹦鹉|豚鼠|乌龟|陆龟|马儿|雪貂|沙鼠|蜥蜴|宠物蛇|金鱼"
PARTNERS = "boyfriend|girlfriend|partner|fianc[eé]e?|husband|wife"
ZH_PARTNERS = "男朋友|女朋友|老公|老婆|丈夫|妻子"
CONDITIONS = (
    r"(?:type\s+(?:1|2|one|two)\s+)?diabetes|prediabetes|asthma|hypertension|high\s+(?:blood\s+pressure|cholesterol)|"
    r"(?:celiac|coeliac|crohn['’]?s|heart|kidney|lyme|parkinson['’]?s|alzheimer['’]?s)\s+disease|epilepsy|"
    r"(?:rheumatoid\s+|psoriatic\s+|osteo)?arthritis|adhd|autism|depression|anxiety|bipolar(?:\s+disorder)?|ptsd|ocd|"
    r"pcos|endometriosis|ibs|colitis|migraines|hypothyroidism|hyperthyroidism|hashimoto['’]?s|gout|eczema|psoriasis|"
    r"sleep\s+apnea|copd|lupus|multiple\s+sclerosis|fibromyalgia|anemia|anaemia|gerd|acid\s+reflux|insomnia|tinnitus|"
    r"glaucoma|long\s+covid|dyslexia|scoliosis|(?:lactose|gluten)\s+intolerance"
)
"""Lasting health conditions one "has" ("I have asthma"), unlike a cold or "anxiety about" a day."""
CONDITION_ADJECTIVES: dict[str, str] = {
    "asthmatic": "asthma",
    "diabetic": "diabetes",
    "prediabetic": "prediabetes",
    "epileptic": "epilepsy",
    "anemic": "anemia",
    "anaemic": "anemia",
    "arthritic": "arthritis",
    "hypertensive": "hypertension",
    "celiac": "celiac disease",
    "coeliac": "celiac disease",
    "autistic": "autism",
    "dyslexic": "dyslexia",
    "insomniac": "insomnia",
    "bipolar": "bipolar disorder",
    "hypothyroid": "hypothyroidism",
    "hyperthyroid": "hyperthyroidism",
    "lactose intolerant": "lactose intolerance",
    "gluten intolerant": "gluten intolerance",
}
"""A lasting condition said as what one is ("I'm asthmatic") -> the condition one has (asthma),
as :data:`CONDITIONS` writes it."""
ZH_CONDITIONS = (
    r"(?:[12一二]型)?糖尿病|高血压|高血脂|高血糖|哮喘|甲减|甲亢|痛风|癫痫|心脏病|贫血|偏头痛|湿疹|胃病|抑郁症|焦虑症|老年痴呆|阿尔茨海默病?|"
    r"(?:乳糖|麸质)不耐受|(?![点些])[^\s，。！？]{1,3}?(?:症|炎)|[^\s，。！？]{1,2}癌"
)
ZH_COMPANIES = (
    "腾讯|阿里巴巴|阿里|百度|华为|字节跳动|字节|京东|美团|小米|网易|拼多多|滴滴|快手|比亚迪|联想|中兴|携程|新浪|微博|"
    "大疆|蔚来|小红书|哔哩哔哩|B站|微软|谷歌|苹果|亚马逊|国家电网|中石油|中石化|招商银行|工商银行|建设银行|中国银行|农业银行"
)
"""Employers Chinese names without 公司 (我在腾讯当产品经理); a bare place (我在深圳做产品经理) is none."""
NOT_HOW = r"(?!(?:hard|much|well|long|fast|often|little|many|far|soon|quickly|usual|always|needed|possible)\b)"
"""Words after "work as" that say how, not as what ("I work as hard as I can")."""
NATIONALITIES = (
    r"(?!(?:American|British|English|Scottish|Irish|Welsh|French|German|Spanish|Italian|Portuguese|Dutch|Swiss|"
    r"Swedish|Norwegian|Danish|Finnish|Polish|Russian|Ukrainian|Greek|Turkish|Chinese|Japanese|Korean|Indian|"
    r"Pakistani|Vietnamese|Thai|Filipino|Indonesian|Mexican|Canadian|Brazilian|Argentinian|Colombian|Australian|"
    r"African|Nigerian|Kenyan|Egyptian|Israeli|Iranian|Arab|Asian|European|Latino|Latina|Jewish|Muslim|Christian|"
    r"Catholic|Hindu|Buddhist|Atheist)\b)"
)
"""Capitalised words after "my mom is" that are not her name ("My mom is Korean")."""
ZH_PLAN_KINDS = {
    "考试": "exam",
    "考": "exam",
    "飞": "flight",
    "结婚": "wedding",
    "看牙医": "appointment",
    "看医生": "appointment",
    "出差": "trip",
    "旅游": "trip",
    "旅行": "trip",
    "度假": "trip",
    "开会": "meeting",
    "面试": "interview",
    "预约": "appointment",
    "复诊": "appointment",
    "复查": "appointment",
    "体检": "checkup",
    "手术": "surgery",
    "航班": "flight",
    "婚礼": "wedding",
    "会议": "meeting",
    "截止日期": "deadline",
    "截止时间": "deadline",
    "去": "trip",  # 下周六去杭州玩: going somewhere
}
ZH_FAVORITE_KINDS = {
    "颜色": "color",
    "食物": "food",
    "菜": "food",
    "水果": "fruit",
    "运动": "sport",
    "电影": "movie",
    "书": "book",
    "歌": "song",
    "歌手": "singer",
    "动物": "animal",
    "城市": "city",
    "饮料": "drink",
    "季节": "season",
}
"""Chinese favourites' kinds as the English slug of the attribute (``favorite_color``)."""
FAVORITE_SPELLINGS = {"colour": "color", "flavour": "flavor", "colours": "color", "colors": "color", "foods": "food"}
"""Kinds of favourite spelt otherwise than the attribute's American slug ("favourite colour" ->
``favorite_color``), so one key holds every spelling."""
LANGUAGES = (
    "english|spanish|french|german|chinese|mandarin|cantonese|japanese|korean|portuguese|italian|russian|arabic|"
    "hindi|dutch|swedish|polish|turkish|vietnamese|thai|indonesian|greek|hebrew"
)
_NOT_NAMES = (
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|July|September|October|"
    r"November|December|And|But|Is|Was|Has|Had|Says|Said|Just|Also"
)
INSTITUTIONS = (
    r"Hospital|Clinic|Medical\s+Center|Health|Bank|University|College|School|Academy|Institute|Labs?|Group|"
    r"Inc\.?|Corp\.?|Corporation|Company|Co\.|LLC|Ltd\.?|Partners|Associates|Capital|Technologies|Systems|"
    r"Studios?|Agency|Foundation|Consulting|Solutions|Holdings"
)
"""The last word of an employer's name that says it is one ("Mercy Hospital", "Acme Corp")."""

NOT_A_NAME = rf"(?!(?:{_NOT_NAMES}|April|May|June|August)\b)"
"""Capitalised words after "my daughter" that are not her name."""
TITLES = (
    r"(?!(?:Head|Chief|Director|Manager|President|Vice|Senior|Junior|Lead|Principal|Mayor|Captain|Doctor|Dr|"
    r"Professor|Prof|Chair(?:man|woman|person)?|Partner|Team|Acting|Interim|Deputy|Assistant|General|Editor)\b)"
)
"""Capitalised words after "my dad is now" that are a post, not a name ("My dad is now Head Chef")."""
EMOJI = r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]"
"""An emoji, or a mark that joins or styles one ("😊", "❤️")."""
NOT_A_LOWER_NAME = (
    rf"(?!(?:{JOBS}|happy|sad|tired|sick|ill|busy|pregnant|fine|ok|okay|good|great|better|worse|well|home|back|away|"
    r"here|there|single|married|engaged|divorced|retired|unemployed|vegan|vegetarian|free|ready|late|done|gone|mad|"
    r"angry|upset|bored|sorry|sure|right|wrong|old|young|new|cute|nice|sweet|mean|fun|funny|crazy|hungry|asleep|"
    r"awake|alive|dead|fat|thin|big|small|tall|short|(?:nic|tall|bigg|small|healthi|happi|busi|calm|kind|strong|weak|old|young|fatt|"
    r"thinn|rich|smart)er|mine|yours|ours|ceo|cto|cfo|boss|head|chief|director|president|"
    r"in|at|on|with|so|very|really|not|also|still|just|the|a|an|my|his|her|their|our|your|one|two|three|\w{3,}(?:ed|ing|"
    r"ful|ous|ive|less|able|ible|ish))\b)"
)
"""Lower-case words after "my gf is now" that say how or what she is, not her name ("my gf is now happy",
"is now retired"; a name that ends as such a word, "alfred", is missed, never a state taken for a name)."""
NOT_A_NAME_SAID = rf"(?!(?:{_NOT_NAMES})\b)"
"""Capitalised words after "my mother is" that are not her name: April, May, June and August,
names that are months too, are her name there ("My mother is May"; "in May" is a month)."""
CAR_MAKES = (
    r"toyota|honda|tesla|bmw|ford|chevrolet|chevy|nissan|hyundai|kia|mazda|subaru|volkswagen|vw|audi|"
    r"mercedes(?:[- ]benz)?|benz|porsche|lexus|jeep|dodge|gmc|volvo|jaguar|land\s+rover|range\s+rover|fiat|peugeot|"
    r"renault|citro[eë]n|skoda|škoda|opel|vauxhall|acura|infiniti|cadillac|buick|lincoln|chrysler|mitsubishi|suzuki|"
    r"rivian|lucid|polestar|byd|alfa\s+romeo|ferrari|lamborghini|maserati|bentley|rolls[- ]royce|aston\s+martin|"
    r"dacia|saab|(?-i:Mini|Genesis|Ram)"
)
"""Car makers, as a car is named after "I drive a" or "I bought a" ("a Toyota", "a BMW X5"); those
that are common words too (Mini, Genesis, Ram) only capitalised."""
CAR_MODELS = (
    r"corolla|camry|prius|rav\s?4|highlander|tacoma|tundra|yaris|4runner|sienna|civic|accord|cr-?v|hr-?v|odyssey|"
    r"model\s+[3sxy]|cybertruck|f-?150|f-?250|mustang|bronco|silverado|malibu|equinox|tahoe|suburban|camaro|corvette|"
    r"altima|sentra|rogue|elantra|sonata|tucson|ioniq\s?\d?|sorento|sportage|telluride|outback|forester|impreza|"
    r"crosstrek|wrx|jetta|passat|tiguan|wrangler|grand\s+cherokee|cherokee|miata|mx-?5|cx-?[3579]0?|mazda\s?[36]|"
    r"cayenne|macan|911|(?-i:Leaf|Focus|Fiesta|Escape|Explorer|Ranger|Pilot|Fit|Soul|Beetle|Golf|Polo|Bolt|Volt|Niro)"
)
"""Car models named without their maker ("a Corolla", "a Model 3", "an F-150"); those that are
common words too (Leaf, Focus, Escape, Golf ...) only capitalised."""
CAR_NOUNS = r"car|suv|truck|pickup(?:\s+truck)?|sedan|hatchback|minivan|van|wagon|coupe|convertible|hybrid|ev"
"""What a car is, said after its maker ("a Toyota SUV", "a Ford pickup truck")."""
ZH_CAR_MAKES = (
    "特斯拉|丰田|本田|宝马|奔驰|比亚迪|大众|奥迪|日产|尼桑|马自达|福特|雪佛兰|别克|现代|起亚|沃尔沃|保时捷|路虎|"
    "吉普|雷克萨斯|斯巴鲁|三菱|凯迪拉克|林肯|捷豹|英菲尼迪|讴歌|蔚来|小鹏|问界|极氪|吉利|长城|哈弗|长安|奇瑞|"
    "红旗|五菱|荣威|名爵|领克|理想汽车|小米汽车|斯柯达|雪铁龙|标致|菲亚特|法拉利|兰博基尼|玛莎拉蒂|宾利|劳斯莱斯"
)
"""Car makers' Chinese names (特斯拉, 丰田, 比亚迪 ...)."""
ZH_CAR_MODELS = (
    "卡罗拉|凯美瑞|雅阁|思域|飞度|缤智|冠道|奥德赛|普拉多|汉兰达|霸道|雷凌|亚洲龙|荣放|威驰|致炫|轩逸|天籁|逍客|"
    "奇骏|朗逸|速腾|迈腾|帕萨特|宝来|途观|途昂|高尔夫|捷达|桑塔纳|英朗|君越|昂科威|宏光|野马|牧马人|卡宴|帕拉梅拉"
)
"""Car models' Chinese names said without their maker (卡罗拉, 凯美瑞, 雅阁 ...)."""
ZH_CAR_SERIES = "汉|唐|宋|秦|元|海豚|海豹|海鸥|驱逐舰|护卫舰"
"""Car models' Chinese names said only after their maker's (比亚迪汉, not 汉 alone)."""
AGE_AFTER_NAME = r"(?:\s+(?:who\s+is|who['’]s|aged?)\s+\d{1,2}|,\s*\d{1,2}(?=,|\s+and\b)|\s*\(\d{1,2}\))"
"""A child's age said after their name in a list: "Emma who is 8", "Emma, 8, and Noah", "Emma (8)"."""
