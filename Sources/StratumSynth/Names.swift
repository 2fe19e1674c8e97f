/// Fixed name and place tables. Every string is plain ASCII (JSONText relies on it), and the
/// towns are invented so no real organisation is implied.
enum Names {
    struct Town { let name: String; let state: String; let zip: String }

    static let towns: [Town] = [
        Town(name: "Ashford", state: "OH", zip: "43015"), Town(name: "Brookfield", state: "OH", zip: "43210"),
        Town(name: "Cedar Falls", state: "IN", zip: "46032"), Town(name: "Dunmore", state: "PA", zip: "18512"),
        Town(name: "Elm Grove", state: "WI", zip: "53122"), Town(name: "Fairhaven", state: "MI", zip: "48023"),
        Town(name: "Glenwood", state: "IL", zip: "60425"), Town(name: "Harlow", state: "KY", zip: "40324"),
        Town(name: "Ironton", state: "OH", zip: "45638"), Town(name: "Jasper Hill", state: "IN", zip: "47546"),
        Town(name: "Kingsport", state: "TN", zip: "37660"), Town(name: "Lakeview", state: "MI", zip: "48850"),
        Town(name: "Millbrook", state: "PA", zip: "17701"), Town(name: "Northfield", state: "IL", zip: "60093"),
        Town(name: "Oak Ridge", state: "TN", zip: "37830"), Town(name: "Pine Bluff", state: "AR", zip: "71601"),
        Town(name: "Quincy", state: "IL", zip: "62301"), Town(name: "Riverton", state: "WV", zip: "26814"),
        Town(name: "Springdale", state: "AR", zip: "72762"), Town(name: "Thornton", state: "IN", zip: "46071"),
        Town(name: "Union City", state: "OH", zip: "45390"), Town(name: "Vernon", state: "KY", zip: "42722"),
        Town(name: "Westfield", state: "IN", zip: "46074"), Town(name: "York Springs", state: "PA", zip: "17372"),
    ]

    static let clinicSuffixes = [
        "Family Medicine", "Internal Medicine Associates", "Primary Care", "Community Health Center",
        "Medical Group", "Family Practice",
    ]

    static let family = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Kim", "Patel", "Chen", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed",
    ]

    static let femaleGiven = [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
        "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Maria", "Rosa", "Mei", "Aisha", "Priya",
    ]

    static let maleGiven = [
        "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles",
        "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua",
        "Kenneth", "Kevin", "Brian", "George", "Timothy", "Jose", "Luis", "Wei", "Omar", "Raj",
    ]

    static let streets = ["Main Street", "Oak Avenue", "Maple Drive", "Park Road", "Church Street", "Lincoln Avenue",
                          "Washington Street", "Lake Road", "Hill Street", "Elm Street"]

    /// One address object for a town (no enclosing array).
    static func address(town: Int, line: String, into json: inout JSONText) {
        let place = towns[town]
        json.raw("{\"line\":["); json.string(line)
        json.raw("],\"city\":"); json.string(place.name)
        json.raw(",\"state\":"); json.string(place.state)
        json.raw(",\"postalCode\":"); json.string(place.zip)
        json.raw(",\"country\":\"US\"}")
    }
}
