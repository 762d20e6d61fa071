/*
 * common_passwords.c — see common_passwords.h.
 *
 * The list: Openwall's password.lst (Solar Designer, 1996-2011, "assumed to be in the public
 * domain"; Debian package john-data 1.9.0-2, /usr/share/john/password.lst, 3,546 passwords
 * ordered by how often they were seen), lowercased, keeping what matters to our rule: the
 * entries of 8 characters or more with a letter and a digit (which a capital letter makes
 * pass the composition rules: "password1" -> "Password1"), and the words of 4 letters or more
 * (the stems of "Monkey2026!", found by common_password() below); plus the well-known
 * passwords this file held before and a few words of this system and its countries.
 * Sorted by byte for bsearch.  Compiled in rather than read from a data file: the rule is
 * part of the binary's behaviour, there is no file to lose or forget to deploy and no load
 * error at start-up, and it costs some 25 KB.
 */
#include "common_passwords.h"

#include <stdlib.h>
#include <string.h>

#define STEM_MIN 4

static const char *const list[] = {
	"1234qwer", "1q2w3e4r", "1qaz2wsx", "a1b2c3d4", "aa123456", "aa12345678", "aaaa", "aaaaaa",
	"aaliyah", "aardvark", "aaron", "abacab", "abbott", "abby", "abc12345", "abc123456", "abcd",
	"abcd1234", "abcde", "abcdef", "abcdefg", "abcdefg1", "abigail", "absolut", "access",
	"accord", "account", "acropolis", "action", "active", "acura", "adam", "adgangskode",
	"adidas", "admin", "admin123", "admin1234", "administrator", "administrator1", "adrian",
	"adriana", "adrock", "aerobics", "africa", "agent", "airborne", "airwolf", "alaska", "albert",
	"alberto", "alejandra", "alejandro", "alex", "alexander", "alexandr", "alexandra", "alexis",
	"alfaro", "alfred", "alfredo", "alice", "alicia", "alien", "aliens", "alina", "aline",
	"alison", "allegro", "allen", "allison", "allo", "allstate", "aloha", "alpha", "alpine",
	"altamira", "althea", "altima", "alyssa", "amanda", "amazing", "amber", "amelia", "amelie",
	"america", "amigas", "amigos", "amistad", "amorcito", "amores", "amour", "amsterdam",
	"anaconda", "anamaria", "anders", "anderson", "andre", "andrea", "andreea", "andrei",
	"andres", "andrew", "andromeda", "andy", "angel", "angela", "angeles", "angelica", "angelina",
	"angelito", "angelo", "angels", "angie", "angus", "animal", "animals", "anita", "anna",
	"anne", "anneli", "annette", "annie", "antares", "anthony", "anthony1", "antonio", "anything",
	"apache", "apollo", "apollo13", "apple", "applepie", "apples", "april", "aptiva", "aqua",
	"aquarius", "aragorn", "archie", "ariana", "ariane", "ariel", "arizona", "arlene", "armando",
	"arnold", "arrow", "arsenal", "artemis", "arthur", "artist", "arturo", "asdf", "asdf1234",
	"asdfasdf", "asdfg", "asdfgh", "asdfghjk", "asdfghjkl", "asdfjkl", "ashlee", "ashley",
	"ashraf", "ashton", "aspen", "asshole", "assmunch", "asterix", "athena", "attila", "august",
	"austin", "autumn", "autumn2025", "autumn2026", "avalon", "avatar", "avenger", "avenir",
	"awesome", "ayelet", "aylmer", "babes", "baby", "babyblue", "babyboo", "babyboy", "babydoll",
	"babyface", "babygirl", "babygirl1", "babygurl", "babyko", "babylon5", "babylove", "bach",
	"backup", "badboy", "badger", "badgirl", "bailey", "baller", "bambam", "bambi", "bamboo",
	"banana", "bananas", "bandit", "baraka", "barbara", "barbie", "barcelona", "barn", "barney",
	"barnyard", "barrett", "barry", "bart", "bartman", "baseball", "baseball1", "basf", "basil",
	"basket", "basketball", "bass", "bastard", "batista", "batman", "bball", "beaches", "beagle",
	"beaner", "beanie", "beans", "bear", "bears", "beast", "beasty", "beatles", "beatrice",
	"beatriz", "beautiful", "beauty", "beaver", "beavis", "bebe", "bebita", "becca", "beckham",
	"beer", "belgium", "belize", "bella", "belle", "belmont", "benfica", "benjamin", "benji",
	"benny", "benoit", "benson", "beowulf", "bernard", "bernardo", "bernie", "berry", "bertha",
	"beryl", "best", "bestfriend", "bestfriends", "beta", "betacam", "betsy", "betty",
	"bettyboop", "beyonce", "bharat", "bhebhe", "bianca", "bichon", "bigal", "bigben", "bigbird",
	"bigboss", "bigdog", "biggles", "bigmac", "bigman", "bigred", "biker", "bilbo", "bill",
	"billabong", "bills", "billy", "bimmer", "bingo", "binky", "biochem", "biology", "bird",
	"birdie", "birdy", "birthday", "biscuit", "bishop", "bismillah", "bitch", "biteme", "bitter",
	"blabla", "black", "blackjack", "blah", "blahblah", "blanche", "blazer", "blessed",
	"blessing", "blinds", "blink182", "bliss", "blitz", "blizzard", "blonde", "blondie", "blood",
	"blowfish", "blowjob", "blowme", "blue", "bluebird", "blueeyes", "bluefish", "bluejean",
	"blues", "bluesky", "boat", "bobby", "bobcat", "bogart", "bogey", "bogus", "bombay", "bonita",
	"bonjour", "bonnie", "bonzo", "boobie", "booboo", "booger", "boogie", "boomer", "booster",
	"boots", "bootsie", "boris", "bosco", "boss", "boston", "boulder", "bourbon", "bowwow",
	"boxer", "boxers", "bozo", "bradley", "brain", "branch", "brandi", "brandon", "brandon1",
	"brandy", "braves", "brazil", "brenda", "brent", "brewster", "brian", "brianna", "bridge",
	"bridges", "bright", "britain", "britney", "brittany", "broadway", "broken", "broker",
	"bronco", "bronte", "brooke", "brooklyn", "brother", "bruce", "bruno", "brussel", "brussels",
	"brussels1", "brutus", "bruxelles", "bryan", "bubba", "bubble", "bubblegum", "bubbles",
	"bubbles1", "buck", "bucks", "bucuresti", "buddha", "buddy", "budgie", "buffalo", "buffett",
	"buffy", "bugs", "bugsy", "bull", "bulldog", "bullet", "bulls", "bullshit", "bunny", "burns",
	"burton", "business", "buster", "butch", "butler", "butter", "buttercup", "butterfly",
	"butterfly1", "butthead", "button", "buttons", "buzz", "byron", "byteme", "cactus", "caesar",
	"caitlin", "calendar", "calgary", "california", "calvin", "camaro", "camay", "camel",
	"camera", "cameron", "camila", "camille", "campbell", "camping", "canada", "cancer", "candy",
	"canela", "cannon", "cannondale", "canon", "cantik", "capricorn", "captain", "carbon",
	"cardinal", "carebear", "carl", "carlitos", "carlos", "carmen", "carnage", "carol", "carole",
	"carolina", "caroline", "carolyn", "carrie", "carrot", "carter", "cascade", "casey", "casper",
	"cassandra", "cassie", "castle", "catalina", "catalog", "catdog", "catfish", "catherine",
	"cathy", "catnip", "cats", "catwoman", "cccccc", "cecile", "cecilia", "celeste", "celica",
	"celine", "celtic", "celtics", "cement", "center", "cesar", "cessna", "chacha", "chad",
	"chainsaw", "challenge", "chameleon", "champion", "champs", "chance", "chandler", "chanel",
	"chang", "change", "changeit", "changeme", "changeme1", "changeme123", "chantal", "chaos",
	"chapman", "charger", "charity", "charles", "charlie", "charlie1", "charlotte", "charmed",
	"chat", "cheche", "cheerleader", "cheese", "chelsea", "chelsea1", "cherry", "cheryl", "chess",
	"chester", "chester1", "chevy", "cheyenne", "chiara", "chicago", "chichi", "chicken", "chico",
	"chiefs", "china", "chinacat", "chinook", "chip", "chiquita", "chivas", "chloe", "chocolat",
	"chocolate", "chouette", "chris", "chris123", "chrisbrown", "christ", "christia", "christian",
	"christin", "christina", "christine", "christmas", "christoph", "christopher", "christy",
	"chronos", "chubby", "chuck", "church", "cicero", "cinder", "cinderella", "cindy", "cinema",
	"circuit", "cirque", "cirrus", "civic", "civil", "claire", "clancy", "clapton", "clark",
	"clarkson", "class", "classroom", "claude", "claudel", "claudia", "cleo", "cliff", "clipper",
	"clock", "cloclo", "clueless", "cobain", "cobra", "cocacola", "coco", "cody", "coffee",
	"coke", "colette", "colleen", "college", "colombia", "color", "colorado", "colors",
	"coltrane", "columbia", "comet", "commander", "compaq", "compton", "computer", "computer1",
	"concept", "concorde", "confused", "connect", "connie", "connor", "conrad", "content",
	"control", "cook", "cookie", "cookies", "cooking", "cool", "coolbean", "coolness", "cooper",
	"cooter", "copenhagen", "copper", "cora", "corazon", "cordelia", "corky", "cornflake",
	"corona", "corrado", "corvette", "corwin", "cosmo", "cosmos", "cougar", "cougars", "country",
	"courier", "courtney", "cowboy", "cowboys", "cows", "coyote", "cracker", "craig", "crawford",
	"crazy", "creative", "crescent", "cricket", "cristian", "cristina", "cross", "crow",
	"crowley", "cruise", "crusader", "crystal", "cthulhu", "cuda", "cuddles", "cuervo",
	"cunningham", "cunt", "cupcake", "current", "curtis", "cuteako", "cuteme", "cutie",
	"cutiepie", "cutlass", "cyber", "cyclone", "cynthia", "cyrano", "daddy", "daddysgirl",
	"daedalus", "dagger", "daily", "daisie", "daisy", "dakota", "dale", "dallas", "damian",
	"dammit", "dana", "dance", "dancer", "dancing", "daniel", "daniela", "danielle", "danny",
	"daphne", "darkangel", "darkman", "darkness", "darkstar", "darling", "darren", "darryl",
	"darwin", "dasha", "database", "dave", "david", "davids", "dawn", "daytek", "dead",
	"deadhead", "dean", "death", "debbie", "deborah", "december", "decker", "deedee", "deeznuts",
	"delano", "delete", "delfin", "deliver", "delta", "demo", "demon", "denali", "denis",
	"denise", "dennis", "denny", "depeche", "derek", "desert", "design", "desiree", "deskjet",
	"destiny", "detroit", "deutsch", "devil", "devine", "devon", "dexter", "dharma", "diablo",
	"diamond", "diamonds", "diana", "diane", "dianne", "dickens", "dickhead", "diego", "diesel",
	"digger", "digital", "dilbert", "dillweed", "dinamo", "dipper", "director", "dirk", "disco",
	"disney", "dixie", "dixon", "doctor", "dodger", "dodgers", "dogbert", "doggy", "doitnow",
	"dollar", "dollars", "dolly", "dolphin", "dolphins", "dominic", "dominique", "domino",
	"donald", "donkey", "donna", "dontknow", "doogie", "dookie", "doom", "doors", "dork",
	"dorothy", "doudou", "doug", "dougie", "douglas", "downtown", "draft", "dragon", "dragon123",
	"dragonfly", "dreamer", "dreams", "driver", "drowssap", "duck", "duckie", "dude", "dudley",
	"duke", "dumbass", "dundee", "dustin", "dusty", "dutch", "dutchess", "dwight", "dylan",
	"eagle", "eagles", "easter", "eastern", "eclipse", "eddie", "edith", "edmund", "eduardo",
	"edward", "eeyore", "effie", "eieio", "eight", "einstein", "elaine", "electric", "element",
	"elephant", "elijah", "elissa", "elizabeth", "ella", "ellen", "elliot", "elsie", "elvis",
	"emerald", "emily", "eminem", "emmanuel", "emmitt", "empire", "energy", "engage", "england",
	"enigma", "enrique", "enter", "enterprise", "entropy", "eric", "erika", "erin", "escort",
	"estelle", "esther", "estrella", "estrellita", "etoile", "eugene", "europa", "europa2026",
	"europe", "europe2026", "evelyn", "excalibur", "excel", "explore", "explorer", "export",
	"express", "faculty", "fairview", "faith", "falcon", "familia", "family", "farmer", "farout",
	"farside", "fashion", "fatboy", "fatima", "faust", "fearless", "february", "feedback",
	"felipe", "felix", "fender", "fenris", "ferguson", "fernanda", "fernando", "ferrari",
	"ferret", "ferris", "fiction", "fidel", "figaro", "finance", "fiona", "fire", "fireball",
	"firebird", "fireman", "firenze", "first", "fish", "fisher", "fishes", "fishhead", "fishie",
	"fishing", "flamingo", "flanders", "flash", "fletch", "fletcher", "fleurs", "flight", "flip",
	"flipper", "flores", "florida", "florida1", "flower", "flowerpot", "flowers", "floyd",
	"fluffy", "flute", "flyboy", "flyer", "foobar", "fool", "football", "football1", "ford",
	"forest", "forever", "fortune", "forum", "forward", "foster", "fountain", "foxtrot", "fozzie",
	"france", "francesco", "francine", "francis", "francisco", "francois", "frank", "franka",
	"frankie", "franklin", "fred", "freddie", "freddy", "frederic", "free", "freebird", "freedom",
	"freeman", "french", "friday", "friend", "friends", "friendship", "friendster", "frisco",
	"fritz", "frodo", "frog", "froggie", "froggies", "froggy", "frogs", "front242", "frontier",
	"fubar", "fucker", "fuckface", "fuckme", "fuckoff", "fucku", "fuckyou", "fuckyou1",
	"fuckyou2", "fugazi", "funguy", "funtime", "future", "fuzz", "gabby", "gabriel", "gabriela",
	"gabriell", "gaby", "gaelic", "galaxy", "galileo", "gambit", "gambler", "games", "gammaphi",
	"ganda", "gandako", "gandalf", "gangsta", "gangster", "garcia", "garden", "garfield",
	"garfunkel", "gargoyle", "garlic", "garnet", "garth", "gary", "gasman", "gaston", "gateway",
	"gateway2", "gatita", "gatito", "gator", "gemini", "general", "genesis", "genius", "george",
	"georgia", "gerald", "gerard", "german", "germany", "germany1", "geronimo", "getout",
	"ggeorge", "ghost", "giants", "gibbons", "gibson", "gigi", "gilbert", "gilgamesh", "gilles",
	"ginger", "giselle", "gizmo", "glenn", "glitter", "global", "gloria", "gmoney", "goat",
	"goaway", "goblin", "goblue", "gocougs", "godiva", "godzilla", "goethe", "gofish", "goforit",
	"gold", "golden", "goldfish", "golf", "golfer", "gollum", "gone", "goober", "good",
	"goodluck", "goofy", "google", "goose", "gopher", "gordon", "gorgeous", "grace", "gracie",
	"graham", "gramps", "grandma", "grant", "graphic", "grateful", "gravis", "gray", "greed",
	"green", "greenday", "greg", "gregory", "gremlin", "greta", "gretchen", "gretel", "gretzky",
	"grizzly", "groovy", "grover", "grumpy", "guess", "guest", "guido", "guinness", "guitar",
	"gumby", "gundam", "gunner", "gustavo", "hacker", "haggis", "haha", "hahaha", "hailey",
	"hallo", "halloween", "hallowell", "hamid", "hamilton", "hamlet", "hammer", "hank", "hanna",
	"hannah", "hansolo", "hanson", "happy", "happy123", "happyday", "hardcore", "harley", "haro",
	"harold", "harriet", "harris", "harrison", "harry", "harrypotter", "harvard", "harvey",
	"hawaii", "hawk", "hawkeye", "hawkeye1", "hayden", "hazel", "health", "heart", "hearts",
	"heather", "heather1", "heather2", "heaven", "hector", "hedgehog", "heidi", "heikki", "helen",
	"helena", "helene", "hell", "hello", "hello123", "hellohello", "hellokitty", "help",
	"helpdesk", "helper", "helpme", "hendrix", "henry", "herbert", "herman", "hermes", "hermosa",
	"hernandez", "hershey", "herzog", "heythere", "highland", "hilbert", "hilda", "hillary",
	"hiphop", "histoire", "history", "hithere", "hitler", "hobbes", "hobbit", "hockey", "hola",
	"holiday", "holly", "hollywood", "home", "homebrew", "homer", "homerj", "honda", "honey",
	"honeyko", "hongkong", "hoops", "hoosier", "hootie", "hope", "horizon", "hornet", "horse",
	"horses", "hosehead", "hotdog", "hotmail", "hotrod", "hotstuff", "hottie", "house", "houston",
	"howard", "huang", "hudson", "huey", "hugh", "hugo", "hummer", "hunter", "huskies",
	"hydrogen", "ibanez", "icecream", "iceman", "idiot", "idontknow", "iforget", "iguana",
	"ihateyou", "ilmari", "ilovegod", "ilovehim", "ilovejesus", "iloveme", "iloveu", "iloveyou",
	"iloveyou1", "iloveyou2", "image", "imagine", "imiflow", "imiflow1", "imiflow123", "imissyou",
	"impact", "impala", "indian", "indiana", "indigo", "indonesia", "info", "informix", "ingvar",
	"inlove", "insane", "inside", "insight", "instructor", "integra", "integral", "intern",
	"internal", "internet", "intrepid", "inuyasha", "iomega", "ireland", "irene", "irina", "iris",
	"irish", "irmeli", "ironman", "isaac", "isabel", "isabella", "isabelle", "isaiah", "island",
	"israel", "italia", "italy", "iubire", "iverson", "izzy", "jack", "jackass", "jackie",
	"jackson", "jacob", "jaguar", "jake", "jakey", "jamaica", "james", "jamesbond", "jamie",
	"jamjam", "jane", "janet", "janice", "janine", "january", "january2026", "japan", "jared",
	"jasmin", "jasmine", "jasmine1", "jason", "jasper", "javier", "jayden", "jayjay", "jayson",
	"jazmin", "jazz", "jean", "jeanette", "jeanne", "jedi", "jeepster", "jeff", "jeffrey",
	"jeffrey1", "jenifer", "jenni", "jennie", "jennifer", "jenny", "jensen", "jeremiah", "jeremy",
	"jerome", "jerry", "jersey", "jesse", "jessica", "jessica1", "jessie", "jester", "jesucristo",
	"jesus", "jesuschrist", "jethro", "jethrotull", "jewels", "jimbo", "jimbob", "jimi", "jimmy",
	"joanie", "joanna", "joanne", "joel", "joelle", "joey", "johan", "johanna1", "john",
	"johncena", "johnny", "johnson", "jojo", "joker", "jonathan", "jordan", "jordan23", "jordie",
	"jorge", "josee", "joseph", "josh", "joshua", "josie", "journey", "joyce", "jubilee",
	"judith", "judy", "juhani", "jules", "julia", "julian", "juliana", "julie", "julien",
	"juliet", "julius", "jumanji", "jumbo", "jump", "junebug", "junior", "juniper", "jupiter",
	"jussi", "justdoit", "justice", "justice4", "justin", "justine", "justme", "kalamazoo",
	"kali", "kangaroo", "karen", "karin", "karina", "karine", "karla", "karma", "kate",
	"katerina", "katherine", "kathleen", "kathy", "katie", "katrina", "kayla", "kcin", "keeper",
	"keepout", "keith", "keller", "kelly", "kelsey", "kendall", "kennedy", "kenneth", "kenny",
	"kerala", "kermit", "kerrya", "ketchup", "kevin", "khan", "kidder", "kids", "killer",
	"kimberly", "king", "kingdom", "kingfish", "kings", "kirk", "kisses", "kissme", "kitkat",
	"kitten", "kitty", "kittycat", "kiwi", "kkkkkk", "kleenex", "knicks", "knight", "koala",
	"kobenhavn", "kodeord", "koko", "kombat", "kramer", "kris", "kristen", "kristi", "kristin",
	"kristina", "kristine", "labtec", "lacrosse", "laddie", "lady", "ladybug", "lakers", "lalala",
	"lambda", "lamer", "lance", "larry", "laser", "laserjet", "laura", "laurel", "lauren",
	"laurie", "lawrence", "lawson", "lawyer", "leader", "leaf", "leanne", "leblanc", "ledzep",
	"legal", "legend", "legolas", "leland", "lemon", "leon", "leonard", "leonardo", "leslie",
	"lestat", "lester", "letmein", "letmein1", "letmein123", "letter", "letters", "liberty",
	"libra", "library", "life", "light", "lights", "liliana", "lilmama", "lima", "lincoln",
	"linda", "lindsay", "lindsey", "linkinpark", "lionel", "lionking", "lions", "lipgloss",
	"lisa", "lissabon", "little", "liverpool", "lizard", "lizzie", "lizzy", "lloyd", "logan",
	"logger", "logical", "logos", "loislane", "loki", "lokita", "lola", "lolipop", "lolita",
	"lollipop", "lollypop", "london", "lonely", "lonestar", "longer", "longhorn", "looking",
	"looney", "loren", "lorena", "lori", "lorna", "lorraine", "lorrie", "loser", "lost", "lotus",
	"louis", "louise", "love", "lovebug", "lovelove", "lovely", "loveme", "lover", "loverboy",
	"lovers", "loves", "loveu", "loveya", "loveyou", "loving", "lucas", "lucia", "lucifer",
	"lucky", "lucy", "lulu", "lupita", "lynn", "macha", "macintosh", "macross", "madalina",
	"maddie", "maddog", "madeline", "madison", "madmax", "madoka", "madonna", "maganda", "maggie",
	"magic", "magnum", "mahal", "mahalkita", "mahalko", "maiden", "mail", "mailer", "mailman",
	"maine", "major", "majordomo", "makeitso", "malcolm", "maldita", "malibu", "mallard",
	"mamita", "management", "manchester", "manson", "mantra", "manuel", "manutd", "marathon",
	"marc", "marcel", "marcos", "marcus", "margaret", "margarita", "maria", "mariah", "marian",
	"mariana", "marie", "marielle", "marilyn", "marina", "marine", "mariner", "marino", "mario",
	"mariposa", "marisol", "marissa", "mark", "market", "marlboro", "marley", "marlon", "mars",
	"marshall", "mart", "martha", "martin", "martinez", "marty", "marvin", "mary", "maryjane",
	"master", "master123", "math", "matrix", "matt", "matthew", "matthew1", "mattingly",
	"maurice", "mauricio", "maverick", "maxime", "maxine", "maxmax", "maxwell", "mayday",
	"meatloaf", "mech", "mechanic", "media", "medical", "megan", "meggie", "meister", "melanie",
	"melina", "melissa", "mellon", "melody", "melvin", "mememe", "memory", "memphis", "mensuck",
	"meow", "mercedes", "mercer", "mercury", "merde", "merlin", "merlot", "mermaid", "merrill",
	"metal", "metallic", "metallica", "mexico", "mhine", "miami", "miamor", "michael", "michael1",
	"michal", "micheal", "michel", "michele", "michelle", "michelle1", "michigan", "michou",
	"mickel", "mickey", "micro", "microsoft", "midnight", "midori", "midvale", "midway", "mierda",
	"miguel", "mikael", "mike", "mikey", "miki", "milagros", "milano", "miles", "millenium",
	"miller", "millie", "million", "mimi", "mindy", "mine", "minnie", "minou", "miracle",
	"mirage", "miranda", "miriam", "mirror", "misha", "mishka", "mission", "missy", "misty",
	"mitch", "mitchell", "mmmmmm", "mmouse", "mobile", "mobydick", "modem", "mojo", "molly",
	"molson", "mommy", "monday", "monet", "money", "monica", "monique", "monkey", "monkey12",
	"monkey123", "monkeys", "monopoly", "monroe", "monster", "montana", "montana3", "montreal",
	"montrose", "monty", "moocow", "mookie", "moomoo", "moon", "moonbeam", "moore", "moose",
	"mopar", "morecats", "morgan", "moroni", "morpheus", "morris", "mortimer", "mother", "motor",
	"motorola", "mountain", "mouse", "movies", "mowgli", "mozart", "muffin", "mulder", "munchkin",
	"murphy", "murray", "muscle", "music", "musica", "mustang", "mustang1", "mybaby", "mylife",
	"mylove", "myself", "myspace", "myspace1", "nadia", "nadine", "nancy", "naomi", "napoleon",
	"naruto", "nascar", "natalia", "natalie", "natasha", "nathan", "nation", "national",
	"nautica", "ncc1701d", "ncc1701e", "nebraska", "neil", "neko", "nellie", "nelson", "nemesis",
	"nenita", "nermal", "nesbit", "nesbitt", "nestle", "netware", "network", "neutrino",
	"newaccount", "newcourt", "newlife", "newpass", "news", "newton", "newuser", "newyork",
	"newyork1", "nguyen", "nicarao", "nicholas", "nichole", "nick", "nicklaus", "nicolas",
	"nicole", "nigel", "nightshade", "nightwing", "nike", "niki", "nikita", "nikki", "nimic",
	"nimrod", "nina", "niners", "nintendo", "nirvana", "nirvana1", "nissan", "nisse", "nite",
	"nokia", "nomore", "none", "nopass", "noriko", "normal", "norman", "norton", "notebook",
	"nothing", "notused", "nouveau", "novell", "november", "noway", "nugget", "numbers", "nurse",
	"nursing", "nutmeg", "oatmeal", "oaxaca", "obiwan", "obsession", "ocean", "october", "ohshit",
	"olive", "oliver", "olivia", "olivier", "ollie", "olsen", "omarion", "omega", "onelove",
	"online", "open", "openup", "opera", "opus", "orange", "oranges", "orchid", "oregon", "oreo",
	"orion", "orlando", "orville", "oscar", "otter", "overkill", "oxford", "ozzy", "p4ssw0rd",
	"paagal", "pacers", "pacific", "packard", "packer", "packers", "packrat", "paint", "painter",
	"paladin", "paloma", "pamela", "pancake", "panda", "pandora", "panget", "pangit", "panic",
	"pantera", "panther", "panthers", "paola", "papa", "paradigm", "paris", "park", "parker",
	"parola", "parrot", "partner", "pasaway", "pascal", "pass", "passion", "passw0rd", "passwd",
	"password", "password1", "password12", "password123", "password1234", "password2", "patches",
	"patricia", "patrick", "patriots", "patton", "paul", "paula", "pauline", "pavel", "payton",
	"peace", "peach", "peaches", "peanut", "peanuts", "pearl", "pearljam", "pebbles", "pedro",
	"peewee", "peggy", "pencil", "penelope", "penguin", "penny", "pentium", "people", "pepper",
	"pepsi", "percy", "perfect", "performa", "perry", "person", "pete", "peter", "peterk",
	"peterpan", "petey", "petunia", "phantom", "phialpha", "phil", "philip", "philips",
	"phillips", "phish", "phishy", "phoenix", "phoenix1", "phone", "photo", "piano", "pianoman",
	"pianos", "picard", "picasso", "pickle", "picture", "pictures", "pierce", "pierre", "pigeon",
	"piglet", "pimpin", "pineapple", "pink", "pinkfloyd", "pinky", "pioneer", "pipeline",
	"pirate", "pisces", "pizza", "planet", "plato", "play", "playboy", "player", "players",
	"playgirl", "please", "plus", "pluto", "poetic", "poetry", "pogiako", "poiuyt", "pokemon",
	"polar", "polaris", "pole", "police", "politics", "pollito", "polo", "pomme", "pontiac",
	"poohbear", "pookey", "pookie", "poop", "poopoo", "popcorn", "pope", "popeye", "poppy",
	"porsche", "porsche911", "porter", "portland", "portugal", "potter", "power", "praise",
	"prayer", "preciosa", "precious", "predator", "prelude", "premier", "preston", "pretty",
	"primus", "prince", "princesa", "princesita", "princess", "princess1", "print", "printing",
	"prof", "prometheus", "property", "provider", "psalms", "psycho", "public", "puddin",
	"pulsar", "pumpkin", "punkin", "puppies", "puppy", "purple", "pussy", "pussycat", "pyramid",
	"pyro", "python", "q1w2e3r4", "q1w2e3r4t5", "qazwsx", "quality", "quebec", "queen", "queenie",
	"quentin", "quest", "qwaszx", "qwer", "qwert", "qwerty", "qwerty12", "qwerty123",
	"qwerty1234", "qwertyui", "qwertyuiop", "qwertyuiop1", "rabbit", "racer", "racerx", "rachel",
	"rachelle", "racoon", "radar", "radio", "rafael", "rafiki", "raiders", "rain", "rainbow",
	"raistlin", "raleigh", "ralph", "rambo", "rancid", "random", "randy", "ranger", "rangers",
	"raptor", "raquel", "rascal", "rastafarian", "ratio", "raven", "ravens", "raymond", "reality",
	"rebecca", "rebelde", "redcloud", "reddog", "redfish", "redman", "redrum", "redskins",
	"redsox", "redwing", "redwood", "reed", "reggae", "reggie", "regina", "reliant", "remember",
	"remote", "rene", "renee", "renegade", "reptile", "republic", "rescue", "research",
	"revolution", "reynolds", "reznor", "rhino", "rhonda", "ricardo", "ricardo1", "richard",
	"richard1", "richards", "richmond", "ricky", "riley", "ripper", "ripple", "rita", "river",
	"roadrunner", "robbie", "robby", "robert", "roberto", "roberts", "robin", "robinhood",
	"robocop", "robotech", "robotics", "roche", "rock", "rocket", "rockie", "rocknroll", "rockon",
	"rocky", "rodeo", "rodrigo", "roger", "rogers", "roland", "rolex", "roman", "rommel",
	"ronald", "ronaldo", "roni", "ronnie", "rookie", "rootbeer", "rose", "rosebud", "roses",
	"rosie", "rosita", "rossignol", "rotimi", "rouge", "roxana", "roxy", "royal", "ruby", "rufus",
	"rugby", "rugger", "runner", "running", "rush", "russell", "rusty", "ruth", "ruthie",
	"ruthless", "ryan", "sabbath", "sabina", "sabrina", "sadie", "safety", "saigon", "sailing",
	"sailor", "saint", "sakura", "salasana", "sales", "sally", "salmon", "salut", "samantha",
	"samiam", "sammie", "sammy", "sample123", "sampson", "samsam", "samson", "samsung", "samuel",
	"sandi", "sandra", "sandy", "sanjose", "santa", "santiago", "santos", "saphire", "sapphire",
	"sarah", "sasha", "saskia", "sassy", "sasuke", "satori", "saturday", "saturn", "savage",
	"savannah", "saved", "sayang", "scarecrow", "scarface", "scarlet", "scarlett", "schnapps",
	"school", "science", "scooby", "scoobydoo", "scooter", "scooter1", "scorpio", "scorpion",
	"scotch", "scotland", "scott", "scottie", "scotty", "scout", "scouts", "scrooge", "scruffy",
	"scuba", "sean", "search", "seattle", "sebastian", "secret", "secret123", "security",
	"seeker", "seoul", "september", "serena", "sergei", "sergey", "sergio", "server", "service",
	"services", "seven", "sexy", "sexybitch", "sexygirl", "sexymama", "sexyme", "shadow",
	"shaggy", "shakira", "shalom", "shanghai", "shannon", "shanny", "shanti", "shaolin", "shark",
	"sharon", "shasta", "shawn", "shayne", "shazam", "sheba", "sheena", "sheila", "shelby",
	"shelley", "shelly", "shelter", "sherry", "ship", "shirley", "shit", "shithead", "shoes",
	"shogun", "shopping", "shorty", "shotgun", "sidekick", "sidney", "sierra", "sigmachi",
	"signal", "signature", "silver", "silvia", "simba", "simon", "simone", "simple", "simpsons",
	"simsim", "sinatra", "singer", "single", "sirius", "sister", "skate", "skater", "skeeter",
	"skibum", "skidoo", "skiing", "skip", "skipper", "skipper1", "skippy", "skittles", "skull",
	"skunk", "skydive", "skyler", "skyline", "skywalker", "slacker", "slayer", "sleepy", "slick",
	"slider", "slideshow", "slip", "slipknot", "smashing", "smegma", "smile", "smiles", "smiley",
	"smiths", "smitty", "smoke", "smokey", "smurfy", "snake", "snakes", "snapper", "snapple",
	"snickers", "sniper", "snoop", "snoopdog", "snoopy", "snow", "snowball", "snowflake",
	"snowman", "snowski", "snuffy", "soccer", "softball", "soleil", "solomon", "something",
	"sonic", "sonics", "sonny", "sony", "sophia", "sophie", "sound", "space", "spain", "spanky",
	"sparkle", "sparks", "sparky", "sparrow", "spartan", "spazz", "special", "speedo", "speedy",
	"spencer", "sphynx", "spider", "spiderman", "spike", "spirit", "spitfire", "spock", "sponge",
	"spongebob", "spooky", "spoon", "sporting", "sports", "spot", "spring", "spring2025",
	"spring2026", "sprite", "sprocket", "spunky", "spurs", "squash", "ssssss", "stacey", "stan",
	"stanley", "star", "starbuck", "stargate", "starlight", "stars", "start", "starter",
	"startrek", "starwars", "starwars1", "station", "stealth", "steaua", "steel", "steele",
	"steelers", "stella", "steph", "stephani", "stephanie", "stephen", "stephi", "sterling",
	"steve", "steven", "stevens", "stewart", "stimpy", "sting", "stingray", "stinky", "stivers",
	"stocks", "stone", "storage", "storm", "stormy", "stranger", "strat", "strato", "strawberry",
	"stretch", "strong", "stuart", "stud", "student", "student2", "studio", "stumpy", "stupid",
	"success", "sucker", "suckme", "sugar", "sultan", "summer", "summer2024", "summer2025",
	"summer2026", "summit", "sunbird", "sundance", "sunday", "sunfire", "sunflower", "sunny",
	"sunrise", "sunset", "sunshine", "sunshine1", "super", "superfly", "superman", "superman1",
	"superstar", "support", "supra", "surf", "surfer", "surfing", "susan", "susana", "susanna",
	"sutton", "suzanne", "suzuki", "suzy", "sverige", "swanson", "sweden", "sweet", "sweetheart",
	"sweetie", "sweetness", "sweetpea", "sweets", "sweety", "swim", "swimmer", "swimming",
	"switzer", "swoosh", "swordfish", "sydney", "sylvia", "sylvie", "symbol", "system", "tabatha",
	"tacobell", "taffy", "taiwan", "talon", "tamara", "tammy", "tamtam", "tango", "tanner",
	"tanya", "tapani", "tara", "targas", "target", "tarheel", "tarzan", "tasha", "tata",
	"tatiana", "tattoo", "taurus", "taylor", "tazdevil", "tazmania", "tbird", "teacher", "teamo",
	"tech", "techno", "teddy", "teddybear", "teflon", "teiubesc", "tekiero", "telecom", "temp",
	"temp1234", "temporal", "tennis", "tequiero", "tequila", "teresa", "terminal", "terry",
	"test", "test1234", "tester", "testi", "testing", "testing123", "testtest", "texas",
	"thankyou", "theatre", "thebest", "theboss", "theend", "thejudge", "theking", "thelorax",
	"theresa", "thisisit", "thomas", "thompson", "thorne", "thrasher", "thumper", "thunder",
	"thunderbird", "thursday", "tiffany", "tiger", "tigers", "tigger", "tightend", "tigre",
	"tika", "timber", "time", "timothy", "tina", "tinker", "tinkerbell", "tintin", "toby",
	"today", "tokiohotel", "tokyo", "tomcat", "tommy", "tony", "tool", "tootsie", "topcat",
	"topgun", "topher", "tornado", "toronto", "torres", "toshiba", "total", "tototo", "toucan",
	"toyota", "tracy", "training", "transfer", "transit", "transport", "trapper", "trash",
	"travel", "travis", "treasure", "trebor", "tree", "trees", "trek", "trevor", "tricia",
	"tricky", "trident", "trinity", "trish", "tristan", "triton", "trixie", "trojan", "trombone",
	"trophy", "trouble", "trout", "truck", "trucker", "truelove", "truman", "trumpet", "trustno1",
	"tucker", "tucson", "tuesday", "tula", "turbo", "turtle", "tweety", "twilight", "twinkle",
	"twins", "tyler", "ultimate", "undead", "undertaker", "unicorn", "unique", "united", "unity",
	"unix", "upsilon", "ursula", "utopia", "vacation", "vader", "valentin", "valentina",
	"valentine", "valeria", "valerie", "valhalla", "valley", "vampire", "vanessa", "vanilla",
	"vedder", "velkommen", "velvet", "venice", "venus", "vermont", "vernon", "veronica", "vette",
	"vicki", "vicky", "victor", "victoria", "victory", "video", "viking", "vikram", "vincent",
	"vincent1", "violet", "violin", "viper", "virago", "virgil", "virginia", "visa", "vision",
	"visual", "volcano", "volley", "volleyball", "volvo", "voodoo", "vortex", "voyager",
	"wachtwoord", "waiting", "walden", "waldo", "walker", "walleye", "wally", "walter", "wanker",
	"warcraft", "warlock", "warner", "warren", "warrior", "warriors", "water", "waterloo",
	"watson", "wayne", "weasel", "webmaster", "webster", "wedge", "weezer", "welcome", "welcome1",
	"welcome12", "welcome123", "welkom", "wendy", "wesley", "western", "westlife", "westside",
	"whatever", "wheels", "whisky", "whit", "white", "whitney", "whocares", "whoville", "wibble",
	"wilbur", "wildcat", "will", "william", "william1", "williams", "willie", "willow", "willy",
	"wilma", "wilson", "wind", "window", "windows", "windsurf", "winner", "winnie",
	"winniethepooh", "winona", "winston", "winter", "winter2024", "winter2025", "winter2026",
	"wisdom", "wizard", "wolf", "wolfgang", "wolverine", "wolves", "wombat", "wonder", "woodrow",
	"woody", "woofwoof", "word", "wordpass", "world", "wrangler", "wright", "xanadu", "xanth",
	"xavier", "xcountry", "xfiles", "xxxx", "xxxxxx", "xxxxxxxx", "yamaha", "yankee", "yankees",
	"yellow", "yoda", "yogibear", "yolanda", "yomama", "young", "yourmom", "yukon", "yvette",
	"yvonne", "zacefron", "zachary", "zack", "zapata", "zaphod", "zaq12wsx", "zebra", "zebras",
	"zenith", "zephyr", "zeppelin", "zepplin", "zeus", "zhongguo", "ziggy", "zigzag", "zoltan",
	"zombie", "zoomer", "zorro", "zxcvb", "zxcvbn", "zxcvbnm", "zxcvbnm1",
};

static int
compare(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

static int
listed(const char *s)
{
	return bsearch(s, list, sizeof(list) / sizeof(list[0]), sizeof(list[0]), compare) != NULL;
}

/* Digits and punctuation: what people put around a word to pass the rules. */
static int
decoration(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c > ' ' && c < 0x7f && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c));
}

/* The usual look-alike digits and signs read as the letters they stand for. */
static char
unleet(char c)
{
	switch (c) {
	case '0': return 'o';
	case '1': return 'i';
	case '3': return 'e';
	case '4': case '@': return 'a';
	case '5': case '$': return 's';
	case '7': return 't';
	default: return c;
	}
}

int
common_password(const char *pw)
{
	char low[COMMON_PASSWORD_MAX + 1];
	size_t len = strlen(pw), b, e;

	if (len > COMMON_PASSWORD_MAX)
		return 0;       /* longer than any entry and any decorated stem */
	for (size_t i = 0; i <= len; i++)
		low[i] = (char)(pw[i] >= 'A' && pw[i] <= 'Z' ? pw[i] - 'A' + 'a' : pw[i]);
	if (listed(low))
		return 1;
	/* A listed word with digits or signs before or after it: "2026Summer!", "Dragon123". */
	for (b = 0; b < len && decoration((unsigned char)low[b]); b++)
		;
	for (e = len; e > b && decoration((unsigned char)low[e - 1]); e--)
		;
	if (e - b < STEM_MIN)
		return 0;
	low[e] = '\0';
	/* Written with look-alikes inside: "P4ssw0rd2026". */
	for (size_t i = b; i < e; i++)
		low[i] = unleet(low[i]);
	for (size_t i = b; i < e; i++)
		if (low[i] < 'a' || low[i] > 'z')
			return 0;
	return listed(low + b);
}

size_t
common_password_count(void)
{
	return sizeof(list) / sizeof(list[0]);
}
