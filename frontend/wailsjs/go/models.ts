export namespace agenda {
	
	export class FieldError {
	    field: string;
	    code?: string;
	    args?: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new FieldError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.code = source["code"];
	        this.args = source["args"];
	        this.message = source["message"];
	    }
	}
	export class Lieu {
	    id: string;
	    organisationId: string;
	    name: string;
	    street: string;
	    postalCode: string;
	    city: string;
	    phone: string;
	    accessibility: string;
	    enabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Lieu(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.organisationId = source["organisationId"];
	        this.name = source["name"];
	        this.street = source["street"];
	        this.postalCode = source["postalCode"];
	        this.city = source["city"];
	        this.phone = source["phone"];
	        this.accessibility = source["accessibility"];
	        this.enabled = source["enabled"];
	    }
	}

}

export namespace app {
	
	export class RecurrenceForm {
	    every: string;
	    interval: number;
	    weekdays: number[];
	    nth: number;
	    weekday: number;
	    until: string;
	
	    static createFrom(source: any = {}) {
	        return new RecurrenceForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.every = source["every"];
	        this.interval = source["interval"];
	        this.weekdays = source["weekdays"];
	        this.nth = source["nth"];
	        this.weekday = source["weekday"];
	        this.until = source["until"];
	    }
	}
	export class AbsenceForm {
	    id: string;
	    agentId: string;
	    title: string;
	    firstDay: string;
	    endDay: string;
	    start: string;
	    end: string;
	    recurrence: RecurrenceForm;
	
	    static createFrom(source: any = {}) {
	        return new AbsenceForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.agentId = source["agentId"];
	        this.title = source["title"];
	        this.firstDay = source["firstDay"];
	        this.endDay = source["endDay"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.recurrence = this.convertValues(source["recurrence"], RecurrenceForm);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AgendaQuery {
	    start: string;
	    end: string;
	    lieuId: string;
	    agentIds: string[];
	    includeCancelled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AgendaQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.start = source["start"];
	        this.end = source["end"];
	        this.lieuId = source["lieuId"];
	        this.agentIds = source["agentIds"];
	        this.includeCancelled = source["includeCancelled"];
	    }
	}
	export class HolidayView {
	    date: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new HolidayView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.date = source["date"];
	        this.name = source["name"];
	    }
	}
	export class BlockView {
	    agentId: string;
	    lieuId: string;
	    start: string;
	    end: string;
	    title: string;
	    canal: string;
	
	    static createFrom(source: any = {}) {
	        return new BlockView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.agentId = source["agentId"];
	        this.lieuId = source["lieuId"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.title = source["title"];
	        this.canal = source["canal"];
	    }
	}
	export class GridRdv {
	    id: string;
	    start: string;
	    end: string;
	    agentIds: string[];
	    motifName: string;
	    color: string;
	    documents: number;
	    status: string;
	    statusLabel: string;
	    usagers: string[];
	    arrivedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new GridRdv(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.agentIds = source["agentIds"];
	        this.motifName = source["motifName"];
	        this.color = source["color"];
	        this.documents = source["documents"];
	        this.status = source["status"];
	        this.statusLabel = source["statusLabel"];
	        this.usagers = source["usagers"];
	        this.arrivedAt = source["arrivedAt"];
	    }
	}
	export class AgendaView {
	    rdvs: GridRdv[];
	    plages: BlockView[];
	    absences: BlockView[];
	    holidays: HolidayView[];
	
	    static createFrom(source: any = {}) {
	        return new AgendaView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rdvs = this.convertValues(source["rdvs"], GridRdv);
	        this.plages = this.convertValues(source["plages"], BlockView);
	        this.absences = this.convertValues(source["absences"], BlockView);
	        this.holidays = this.convertValues(source["holidays"], HolidayView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AgentForm {
	    id: string;
	    kind: string;
	    name: string;
	    email: string;
	    login: string;
	    role: string;
	    active: boolean;
	    password: string;
	    hasPassword: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AgentForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.login = source["login"];
	        this.role = source["role"];
	        this.active = source["active"];
	        this.password = source["password"];
	        this.hasPassword = source["hasPassword"];
	    }
	}
	export class AttemptView {
	    at: string;
	    event: string;
	    label: string;
	    channel: string;
	    result: string;
	    resultText: string;
	    provider: string;
	    count: number;
	    error?: string;
	    recipient: string;
	
	    static createFrom(source: any = {}) {
	        return new AttemptView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.event = source["event"];
	        this.label = source["label"];
	        this.channel = source["channel"];
	        this.result = source["result"];
	        this.resultText = source["resultText"];
	        this.provider = source["provider"];
	        this.count = source["count"];
	        this.error = source["error"];
	        this.recipient = source["recipient"];
	    }
	}
	export class AuditView {
	    at: string;
	    by: string;
	    action: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.by = source["by"];
	        this.action = source["action"];
	        this.detail = source["detail"];
	    }
	}
	
	export class BookPerson {
	    usagerId: string;
	    new?: UsagerForm;
	
	    static createFrom(source: any = {}) {
	        return new BookPerson(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.usagerId = source["usagerId"];
	        this.new = this.convertValues(source["new"], UsagerForm);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UsagerForm {
	    id: string;
	    firstName: string;
	    lastName: string;
	    birthName: string;
	    birthDate: string;
	    phone: string;
	    email: string;
	    notifySms: boolean;
	    notifyEmail: boolean;
	    antsPreDemande: string;
	
	    static createFrom(source: any = {}) {
	        return new UsagerForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.birthName = source["birthName"];
	        this.birthDate = source["birthDate"];
	        this.phone = source["phone"];
	        this.email = source["email"];
	        this.notifySms = source["notifySms"];
	        this.notifyEmail = source["notifyEmail"];
	        this.antsPreDemande = source["antsPreDemande"];
	    }
	}
	export class BookInput {
	    motifId: string;
	    lieuId: string;
	    agentId: string;
	    start: string;
	    documents: number;
	    usagerIds: string[];
	    newUsager?: UsagerForm;
	    others: BookPerson[];
	    preDemandes: string[];
	    context: string;
	    override: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BookInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.motifId = source["motifId"];
	        this.lieuId = source["lieuId"];
	        this.agentId = source["agentId"];
	        this.start = source["start"];
	        this.documents = source["documents"];
	        this.usagerIds = source["usagerIds"];
	        this.newUsager = this.convertValues(source["newUsager"], UsagerForm);
	        this.others = this.convertValues(source["others"], BookPerson);
	        this.preDemandes = source["preDemandes"];
	        this.context = source["context"];
	        this.override = source["override"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SlotView {
	    start: string;
	    end: string;
	    agentId: string;
	    agentName: string;
	    lieuId: string;
	    lieuName: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new SlotView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.start = source["start"];
	        this.end = source["end"];
	        this.agentId = source["agentId"];
	        this.agentName = source["agentName"];
	        this.lieuId = source["lieuId"];
	        this.lieuName = source["lieuName"];
	        this.label = source["label"];
	    }
	}
	export class StatusOption {
	    status: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new StatusOption(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.label = source["label"];
	    }
	}
	export class RdvView {
	    id: string;
	    start: string;
	    end: string;
	    agentIds: string[];
	    agentNames: string[];
	    lieuId: string;
	    lieuName: string;
	    motifId: string;
	    motifName: string;
	    color: string;
	    status: string;
	    statusLabel: string;
	    usagers: string[];
	    usagerIds: string[];
	    phone: string;
	    context: string;
	    documents: number;
	    origine: string;
	    arrivedAt: string;
	    transitions: StatusOption[];
	    started: boolean;
	    past: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RdvView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.agentIds = source["agentIds"];
	        this.agentNames = source["agentNames"];
	        this.lieuId = source["lieuId"];
	        this.lieuName = source["lieuName"];
	        this.motifId = source["motifId"];
	        this.motifName = source["motifName"];
	        this.color = source["color"];
	        this.status = source["status"];
	        this.statusLabel = source["statusLabel"];
	        this.usagers = source["usagers"];
	        this.usagerIds = source["usagerIds"];
	        this.phone = source["phone"];
	        this.context = source["context"];
	        this.documents = source["documents"];
	        this.origine = source["origine"];
	        this.arrivedAt = source["arrivedAt"];
	        this.transitions = this.convertValues(source["transitions"], StatusOption);
	        this.started = source["started"];
	        this.past = source["past"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BookResult {
	    rdv?: RdvView;
	    conflict: boolean;
	    warning: boolean;
	    message: string;
	    alternatives: SlotView[];
	    errors: agenda.FieldError[];
	
	    static createFrom(source: any = {}) {
	        return new BookResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rdv = this.convertValues(source["rdv"], RdvView);
	        this.conflict = source["conflict"];
	        this.warning = source["warning"];
	        this.message = source["message"];
	        this.alternatives = this.convertValues(source["alternatives"], SlotView);
	        this.errors = this.convertValues(source["errors"], agenda.FieldError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DayListLine {
	    rdvId: string;
	    time: string;
	    usagers: string[];
	    phone: string;
	    preDemande: string;
	    motif: string;
	    ants: boolean;
	    documents: number;
	    agent: string;
	    context: string;
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new DayListLine(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rdvId = source["rdvId"];
	        this.time = source["time"];
	        this.usagers = source["usagers"];
	        this.phone = source["phone"];
	        this.preDemande = source["preDemande"];
	        this.motif = source["motif"];
	        this.ants = source["ants"];
	        this.documents = source["documents"];
	        this.agent = source["agent"];
	        this.context = source["context"];
	        this.status = source["status"];
	    }
	}
	export class DayListQuery {
	    date: string;
	    lieuId: string;
	    agentId: string;
	
	    static createFrom(source: any = {}) {
	        return new DayListQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.date = source["date"];
	        this.lieuId = source["lieuId"];
	        this.agentId = source["agentId"];
	    }
	}
	export class DayListView {
	    title: string;
	    day: string;
	    rows: DayListLine[];
	    rdvs: RdvView[];
	
	    static createFrom(source: any = {}) {
	        return new DayListView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.day = source["day"];
	        this.rows = this.convertValues(source["rows"], DayListLine);
	        this.rdvs = this.convertValues(source["rdvs"], RdvView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DemoHint {
	    logins: string[];
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new DemoHint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.logins = source["logins"];
	        this.password = source["password"];
	    }
	}
	export class ExceptionForm {
	    date: string;
	    cancelled: boolean;
	    start: string;
	    end: string;
	
	    static createFrom(source: any = {}) {
	        return new ExceptionForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.date = source["date"];
	        this.cancelled = source["cancelled"];
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	}
	export class FileResult {
	    path: string;
	    fileName: string;
	    url: string;
	    base64: string;
	    printed: boolean;
	    printedOn: string;
	    folder?: string;
	
	    static createFrom(source: any = {}) {
	        return new FileResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.fileName = source["fileName"];
	        this.url = source["url"];
	        this.base64 = source["base64"];
	        this.printed = source["printed"];
	        this.printedOn = source["printedOn"];
	        this.folder = source["folder"];
	    }
	}
	
	export class HistoryView {
	    at: string;
	    by: string;
	    from: string;
	    to: string;
	    moved: string;
	
	    static createFrom(source: any = {}) {
	        return new HistoryView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.by = source["by"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.moved = source["moved"];
	    }
	}
	
	export class ImportTemplate {
	    fileName: string;
	    base64: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportTemplate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fileName = source["fileName"];
	        this.base64 = source["base64"];
	    }
	}
	export class KindView {
	    id: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new KindView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	    }
	}
	export class KioskName {
	    firstName: string;
	    lastName: string;
	
	    static createFrom(source: any = {}) {
	        return new KioskName(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	    }
	}
	export class KioskBookRequest {
	    motifId: string;
	    start: string;
	    lieuId: string;
	    documents: number;
	    lastName: string;
	    firstName: string;
	    phone: string;
	    relatives: KioskName[];
	    preDemandes: string[];
	    lang: string;
	
	    static createFrom(source: any = {}) {
	        return new KioskBookRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.motifId = source["motifId"];
	        this.start = source["start"];
	        this.lieuId = source["lieuId"];
	        this.documents = source["documents"];
	        this.lastName = source["lastName"];
	        this.firstName = source["firstName"];
	        this.phone = source["phone"];
	        this.relatives = this.convertValues(source["relatives"], KioskName);
	        this.preDemandes = source["preDemandes"];
	        this.lang = source["lang"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class KioskTime {
	    start: string;
	    lieuId: string;
	    label: string;
	    place: string;
	
	    static createFrom(source: any = {}) {
	        return new KioskTime(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.start = source["start"];
	        this.lieuId = source["lieuId"];
	        this.label = source["label"];
	        this.place = source["place"];
	    }
	}
	export class KioskTicket {
	    motif: string;
	    when: string;
	    start: string;
	    place: string;
	    pieces: string[];
	    shortCode: string;
	    printed: boolean;
	    printMessage: string;
	    printCode: string;
	
	    static createFrom(source: any = {}) {
	        return new KioskTicket(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.motif = source["motif"];
	        this.when = source["when"];
	        this.start = source["start"];
	        this.place = source["place"];
	        this.pieces = source["pieces"];
	        this.shortCode = source["shortCode"];
	        this.printed = source["printed"];
	        this.printMessage = source["printMessage"];
	        this.printCode = source["printCode"];
	    }
	}
	export class KioskBookResult {
	    ticket?: KioskTicket;
	    conflict: boolean;
	    message: string;
	    alternatives: KioskTime[];
	    errors: agenda.FieldError[];
	    code: string;
	
	    static createFrom(source: any = {}) {
	        return new KioskBookResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ticket = this.convertValues(source["ticket"], KioskTicket);
	        this.conflict = source["conflict"];
	        this.message = source["message"];
	        this.alternatives = this.convertValues(source["alternatives"], KioskTime);
	        this.errors = this.convertValues(source["errors"], agenda.FieldError);
	        this.code = source["code"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class KioskCheckIn {
	    arrived: boolean;
	    message: string;
	    code: string;
	    params: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new KioskCheckIn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.arrived = source["arrived"];
	        this.message = source["message"];
	        this.code = source["code"];
	        this.params = source["params"];
	    }
	}
	export class KioskDay {
	    date: string;
	    label: string;
	    today: boolean;
	
	    static createFrom(source: any = {}) {
	        return new KioskDay(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.date = source["date"];
	        this.label = source["label"];
	        this.today = source["today"];
	    }
	}
	export class KioskMotif {
	    id: string;
	    name: string;
	    line: string;
	    ants: boolean;
	    category: string;
	    durationMin: number;
	
	    static createFrom(source: any = {}) {
	        return new KioskMotif(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.line = source["line"];
	        this.ants = source["ants"];
	        this.category = source["category"];
	        this.durationMin = source["durationMin"];
	    }
	}
	export class KioskHome {
	    organisation: string;
	    accentColor: string;
	    logo: string;
	    motifs: KioskMotif[];
	
	    static createFrom(source: any = {}) {
	        return new KioskHome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organisation = source["organisation"];
	        this.accentColor = source["accentColor"];
	        this.logo = source["logo"];
	        this.motifs = this.convertValues(source["motifs"], KioskMotif);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	export class LieuView {
	    id: string;
	    name: string;
	    address: string;
	
	    static createFrom(source: any = {}) {
	        return new LieuView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}
	export class MessageView {
	    id: string;
	    usagerId: string;
	    event: string;
	    label: string;
	    channel: string;
	    recipient: string;
	    state: string;
	    stateText: string;
	    dueAt: string;
	    doneAt?: string;
	    attempts: number;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new MessageView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.usagerId = source["usagerId"];
	        this.event = source["event"];
	        this.label = source["label"];
	        this.channel = source["channel"];
	        this.recipient = source["recipient"];
	        this.state = source["state"];
	        this.stateText = source["stateText"];
	        this.dueAt = source["dueAt"];
	        this.doneAt = source["doneAt"];
	        this.attempts = source["attempts"];
	        this.error = source["error"];
	    }
	}
	export class MotifForm {
	    id: string;
	    name: string;
	    color: string;
	    durationMin: number;
	    locationType: string;
	    minPublicDelay: number;
	    maxPublicDelay: number;
	    bookableKiosk: boolean;
	    bookableOnline: boolean;
	    collectif: boolean;
	    capacity: number;
	    pieces: string[];
	    instructions: string;
	    antsCategory: string;
	    archived: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MotifForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.color = source["color"];
	        this.durationMin = source["durationMin"];
	        this.locationType = source["locationType"];
	        this.minPublicDelay = source["minPublicDelay"];
	        this.maxPublicDelay = source["maxPublicDelay"];
	        this.bookableKiosk = source["bookableKiosk"];
	        this.bookableOnline = source["bookableOnline"];
	        this.collectif = source["collectif"];
	        this.capacity = source["capacity"];
	        this.pieces = source["pieces"];
	        this.instructions = source["instructions"];
	        this.antsCategory = source["antsCategory"];
	        this.archived = source["archived"];
	    }
	}
	export class MotifView {
	    id: string;
	    name: string;
	    color: string;
	    durationMin: number;
	    ants: boolean;
	    collectif: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MotifView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.color = source["color"];
	        this.durationMin = source["durationMin"];
	        this.ants = source["ants"];
	        this.collectif = source["collectif"];
	    }
	}
	export class NotificationSettingsView {
	    emailEnabled: boolean;
	    smsEnabled: boolean;
	    reminderHours: number;
	    minReminderHours: number;
	    sameDaySms: boolean;
	    sameDayHours: number;
	    quietStart: string;
	    quietEnd: string;
	    smtpHost: string;
	    smtpPort: number;
	    smtpTls: string;
	    smtpUsername: string;
	    smtpPassword: string;
	    smtpPasswordSet: boolean;
	    smtpFrom: string;
	    replyTo: string;
	    smsProvider: string;
	    smsApiKey: string;
	    smsApiKeySet: boolean;
	    smsSender: string;
	    smsJournal: string;
	    centralUrl: string;
	
	    static createFrom(source: any = {}) {
	        return new NotificationSettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.emailEnabled = source["emailEnabled"];
	        this.smsEnabled = source["smsEnabled"];
	        this.reminderHours = source["reminderHours"];
	        this.minReminderHours = source["minReminderHours"];
	        this.sameDaySms = source["sameDaySms"];
	        this.sameDayHours = source["sameDayHours"];
	        this.quietStart = source["quietStart"];
	        this.quietEnd = source["quietEnd"];
	        this.smtpHost = source["smtpHost"];
	        this.smtpPort = source["smtpPort"];
	        this.smtpTls = source["smtpTls"];
	        this.smtpUsername = source["smtpUsername"];
	        this.smtpPassword = source["smtpPassword"];
	        this.smtpPasswordSet = source["smtpPasswordSet"];
	        this.smtpFrom = source["smtpFrom"];
	        this.replyTo = source["replyTo"];
	        this.smsProvider = source["smsProvider"];
	        this.smsApiKey = source["smsApiKey"];
	        this.smsApiKeySet = source["smsApiKeySet"];
	        this.smsSender = source["smsSender"];
	        this.smsJournal = source["smsJournal"];
	        this.centralUrl = source["centralUrl"];
	    }
	}
	export class OrganisationForm {
	    name: string;
	    accentColor: string;
	    email: string;
	    phone: string;
	    timeZone: string;
	    departement: string;
	    logoPng: string;
	    slotGridMinutes: number;
	    bufferMinutes: number;
	    sessionTimeoutMin: number;
	
	    static createFrom(source: any = {}) {
	        return new OrganisationForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.accentColor = source["accentColor"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.timeZone = source["timeZone"];
	        this.departement = source["departement"];
	        this.logoPng = source["logoPng"];
	        this.slotGridMinutes = source["slotGridMinutes"];
	        this.bufferMinutes = source["bufferMinutes"];
	        this.sessionTimeoutMin = source["sessionTimeoutMin"];
	    }
	}
	export class OrganisationView {
	    name: string;
	    accentColor: string;
	    timeZone: string;
	    logoPng: string;
	
	    static createFrom(source: any = {}) {
	        return new OrganisationView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.accentColor = source["accentColor"];
	        this.timeZone = source["timeZone"];
	        this.logoPng = source["logoPng"];
	    }
	}
	export class PairingView {
	    name: string;
	    role: string;
	    office: string;
	    fingerprint: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new PairingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.role = source["role"];
	        this.office = source["office"];
	        this.fingerprint = source["fingerprint"];
	        this.message = source["message"];
	    }
	}
	export class PersonalDataView {
	    retentionYears: number;
	    minYears: number;
	    maxYears: number;
	    nextPurge: string;
	    audit: AuditView[];
	
	    static createFrom(source: any = {}) {
	        return new PersonalDataView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.retentionYears = source["retentionYears"];
	        this.minYears = source["minYears"];
	        this.maxYears = source["maxYears"];
	        this.nextPurge = source["nextPurge"];
	        this.audit = this.convertValues(source["audit"], AuditView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PlageForm {
	    id: string;
	    agentId: string;
	    lieuId: string;
	    title: string;
	    motifIds: string[];
	    firstDay: string;
	    start: string;
	    end: string;
	    recurrence: RecurrenceForm;
	    exceptions: ExceptionForm[];
	    canal: string;
	    enTransfert: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PlageForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.agentId = source["agentId"];
	        this.lieuId = source["lieuId"];
	        this.title = source["title"];
	        this.motifIds = source["motifIds"];
	        this.firstDay = source["firstDay"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.recurrence = this.convertValues(source["recurrence"], RecurrenceForm);
	        this.exceptions = this.convertValues(source["exceptions"], ExceptionForm);
	        this.canal = source["canal"];
	        this.enTransfert = source["enTransfert"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PosteView {
	    id: string;
	    name: string;
	    role: string;
	    roleLabel: string;
	    hostname: string;
	    state: string;
	    lastSeen: string;
	    revoked: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PosteView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.roleLabel = source["roleLabel"];
	        this.hostname = source["hostname"];
	        this.state = source["state"];
	        this.lastSeen = source["lastSeen"];
	        this.revoked = source["revoked"];
	    }
	}
	export class PosteInvitation {
	    poste: PosteView;
	    code: string;
	    expires: string;
	    expiresText: string;
	    fingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new PosteInvitation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.poste = this.convertValues(source["poste"], PosteView);
	        this.code = source["code"];
	        this.expires = source["expires"];
	        this.expiresText = source["expiresText"];
	        this.fingerprint = source["fingerprint"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class PostesView {
	    serving: boolean;
	    available: boolean;
	    address: string;
	    addresses: string[];
	    fingerprint: string;
	    postes: PosteView[];
	
	    static createFrom(source: any = {}) {
	        return new PostesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.serving = source["serving"];
	        this.available = source["available"];
	        this.address = source["address"];
	        this.addresses = source["addresses"];
	        this.fingerprint = source["fingerprint"];
	        this.postes = this.convertValues(source["postes"], PosteView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PrinterSettings {
	    a4Printer: string;
	    sumatraPath: string;
	    ticketKind: string;
	    ticketQueue: string;
	    ticketAddr: string;
	    ticketQr: string;
	
	    static createFrom(source: any = {}) {
	        return new PrinterSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.a4Printer = source["a4Printer"];
	        this.sumatraPath = source["sumatraPath"];
	        this.ticketKind = source["ticketKind"];
	        this.ticketQueue = source["ticketQueue"];
	        this.ticketAddr = source["ticketAddr"];
	        this.ticketQr = source["ticketQr"];
	    }
	}
	export class PrintingView {
	    settings: PrinterSettings;
	    windows: boolean;
	    printers: string[];
	    printersError: string;
	    sumatraFound: string;
	
	    static createFrom(source: any = {}) {
	        return new PrintingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], PrinterSettings);
	        this.windows = source["windows"];
	        this.printers = source["printers"];
	        this.printersError = source["printersError"];
	        this.sumatraFound = source["sumatraFound"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RdvDetail {
	    rdv: RdvView;
	    usagers: UsagerForm[];
	    pieces: string[];
	    instructions: string;
	    createdBy: string;
	    history: HistoryView[];
	    ticketPrinter: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RdvDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rdv = this.convertValues(source["rdv"], RdvView);
	        this.usagers = this.convertValues(source["usagers"], UsagerForm);
	        this.pieces = source["pieces"];
	        this.instructions = source["instructions"];
	        this.createdBy = source["createdBy"];
	        this.history = this.convertValues(source["history"], HistoryView);
	        this.ticketPrinter = source["ticketPrinter"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RdvMessagesView {
	    messages: MessageView[];
	    attempts: AttemptView[];
	
	    static createFrom(source: any = {}) {
	        return new RdvMessagesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messages = this.convertValues(source["messages"], MessageView);
	        this.attempts = this.convertValues(source["attempts"], AttemptView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class RemoteInfo {
	    name: string;
	    role: string;
	    office: string;
	    address: string;
	    fingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new RemoteInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.role = source["role"];
	        this.office = source["office"];
	        this.address = source["address"];
	        this.fingerprint = source["fingerprint"];
	    }
	}
	export class ResourceView {
	    id: string;
	    name: string;
	    kind: string;
	
	    static createFrom(source: any = {}) {
	        return new ResourceView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	    }
	}
	export class SaveResult {
	    id: string;
	    errors: agenda.FieldError[];
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.errors = this.convertValues(source["errors"], agenda.FieldError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SessionView {
	    agentId: string;
	    name: string;
	    role: string;
	    timeoutMin: number;
	
	    static createFrom(source: any = {}) {
	        return new SessionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.agentId = source["agentId"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.timeoutMin = source["timeoutMin"];
	    }
	}
	export class SettingsView {
	    organisation: OrganisationForm;
	    lieux: agenda.Lieu[];
	    agents: AgentForm[];
	    motifs: MotifForm[];
	    plages: PlageForm[];
	    absences: AbsenceForm[];
	    isAdmin: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organisation = this.convertValues(source["organisation"], OrganisationForm);
	        this.lieux = this.convertValues(source["lieux"], agenda.Lieu);
	        this.agents = this.convertValues(source["agents"], AgentForm);
	        this.motifs = this.convertValues(source["motifs"], MotifForm);
	        this.plages = this.convertValues(source["plages"], PlageForm);
	        this.absences = this.convertValues(source["absences"], AbsenceForm);
	        this.isAdmin = source["isAdmin"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SetupView {
	    step: string;
	    kinds: KindView[];
	    groups: onboarding.Group[];
	    kindGroups: Record<string, Array<string>>;
	    organisation: onboarding.Organisation;
	    lieux: onboarding.Lieu[];
	    agendas: onboarding.Agenda[];
	    motifs: onboarding.Motif[];
	    hours: onboarding.Hours[];
	
	    static createFrom(source: any = {}) {
	        return new SetupView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.step = source["step"];
	        this.kinds = this.convertValues(source["kinds"], KindView);
	        this.groups = this.convertValues(source["groups"], onboarding.Group);
	        this.kindGroups = source["kindGroups"];
	        this.organisation = this.convertValues(source["organisation"], onboarding.Organisation);
	        this.lieux = this.convertValues(source["lieux"], onboarding.Lieu);
	        this.agendas = this.convertValues(source["agendas"], onboarding.Agenda);
	        this.motifs = this.convertValues(source["motifs"], onboarding.Motif);
	        this.hours = this.convertValues(source["hours"], onboarding.Hours);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SlotQuery {
	    motifId: string;
	    lieuId: string;
	    agentId: string;
	    from: string;
	    documents: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new SlotQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.motifId = source["motifId"];
	        this.lieuId = source["lieuId"];
	        this.agentId = source["agentId"];
	        this.from = source["from"];
	        this.documents = source["documents"];
	        this.limit = source["limit"];
	    }
	}
	
	export class Startup {
	    organisation: OrganisationView;
	    today: string;
	    now: string;
	    agents: ResourceView[];
	    lieux: LieuView[];
	    motifs: MotifView[];
	    session?: SessionView;
	    demo?: DemoHint;
	    setup: string;
	    pairing: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Startup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organisation = this.convertValues(source["organisation"], OrganisationView);
	        this.today = source["today"];
	        this.now = source["now"];
	        this.agents = this.convertValues(source["agents"], ResourceView);
	        this.lieux = this.convertValues(source["lieux"], LieuView);
	        this.motifs = this.convertValues(source["motifs"], MotifView);
	        this.session = this.convertValues(source["session"], SessionView);
	        this.demo = this.convertValues(source["demo"], DemoHint);
	        this.setup = source["setup"];
	        this.pairing = source["pairing"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SyncSettingsView {
	    serverUrl: string;
	    tokenSet: boolean;
	    connected: boolean;
	    organisationId: string;
	    organisationName: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncSettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.serverUrl = source["serverUrl"];
	        this.tokenSet = source["tokenSet"];
	        this.connected = source["connected"];
	        this.organisationId = source["organisationId"];
	        this.organisationName = source["organisationName"];
	    }
	}
	export class SyncStatusView {
	    state: string;
	    label: string;
	    code?: string;
	    message?: string;
	    pending: number;
	    rejected: number;
	    conflicts: number;
	    toTreat: number;
	
	    static createFrom(source: any = {}) {
	        return new SyncStatusView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.label = source["label"];
	        this.code = source["code"];
	        this.message = source["message"];
	        this.pending = source["pending"];
	        this.rejected = source["rejected"];
	        this.conflicts = source["conflicts"];
	        this.toTreat = source["toTreat"];
	    }
	}
	export class ToTreatItem {
	    id: string;
	    kind: string;
	    what: string;
	    code: string;
	    reason: string;
	    advice: string;
	    at: string;
	    rdvId?: string;
	
	    static createFrom(source: any = {}) {
	        return new ToTreatItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.what = source["what"];
	        this.code = source["code"];
	        this.reason = source["reason"];
	        this.advice = source["advice"];
	        this.at = source["at"];
	        this.rdvId = source["rdvId"];
	    }
	}
	export class UsagerExportView {
	    json: FileResult;
	    pdf: FileResult;
	
	    static createFrom(source: any = {}) {
	        return new UsagerExportView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.json = this.convertValues(source["json"], FileResult);
	        this.pdf = this.convertValues(source["pdf"], FileResult);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class WaitingView {
	    rdv: RdvView;
	    waitingMin: number;
	
	    static createFrom(source: any = {}) {
	        return new WaitingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rdv = this.convertValues(source["rdv"], RdvView);
	        this.waitingMin = source["waitingMin"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace importer {
	
	export class Matched {
	    line: number;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new Matched(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.name = source["name"];
	    }
	}
	export class Problem {
	    line: number;
	    code: string;
	    params?: Record<string, string>;
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.code = source["code"];
	        this.params = source["params"];
	        this.message = source["message"];
	    }
	}
	export class Report {
	    lines: number;
	    newUsagers: number;
	    matched: Matched[];
	    rdvs: number;
	    reminders: number;
	    problems: Problem[];
	    notices: Problem[];
	    dryRun: boolean;
	    imported: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lines = source["lines"];
	        this.newUsagers = source["newUsagers"];
	        this.matched = this.convertValues(source["matched"], Matched);
	        this.rdvs = source["rdvs"];
	        this.reminders = source["reminders"];
	        this.problems = this.convertValues(source["problems"], Problem);
	        this.notices = this.convertValues(source["notices"], Problem);
	        this.dryRun = source["dryRun"];
	        this.imported = source["imported"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace onboarding {
	
	export class Agenda {
	    name: string;
	    kind: string;
	    login: string;
	    email: string;
	    password?: string;
	
	    static createFrom(source: any = {}) {
	        return new Agenda(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.login = source["login"];
	        this.email = source["email"];
	        this.password = source["password"];
	    }
	}
	export class Channels {
	    guichet: boolean;
	    borne: boolean;
	    enLigne: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Channels(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.guichet = source["guichet"];
	        this.borne = source["borne"];
	        this.enLigne = source["enLigne"];
	    }
	}
	export class Motif {
	    template?: string;
	    name: string;
	    color: string;
	    durationMin: number;
	    pieces: string[];
	    instructions: string;
	    antsCategory: string;
	    channels: Channels;
	
	    static createFrom(source: any = {}) {
	        return new Motif(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.template = source["template"];
	        this.name = source["name"];
	        this.color = source["color"];
	        this.durationMin = source["durationMin"];
	        this.pieces = source["pieces"];
	        this.instructions = source["instructions"];
	        this.antsCategory = source["antsCategory"];
	        this.channels = this.convertValues(source["channels"], Channels);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Group {
	    id: string;
	    name: string;
	    motifs: Motif[];
	
	    static createFrom(source: any = {}) {
	        return new Group(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.motifs = this.convertValues(source["motifs"], Motif);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Hours {
	    agenda: string;
	    lieu: string;
	    motifs?: string[];
	    matin: string;
	    apresMidi: string;
	    joursMatin: string[];
	    joursApresMidi: string[];
	    joursMatinEnLigne?: string[];
	    joursApresMidiEnLigne?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Hours(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.agenda = source["agenda"];
	        this.lieu = source["lieu"];
	        this.motifs = source["motifs"];
	        this.matin = source["matin"];
	        this.apresMidi = source["apresMidi"];
	        this.joursMatin = source["joursMatin"];
	        this.joursApresMidi = source["joursApresMidi"];
	        this.joursMatinEnLigne = source["joursMatinEnLigne"];
	        this.joursApresMidiEnLigne = source["joursApresMidiEnLigne"];
	    }
	}
	export class Lieu {
	    name: string;
	    street: string;
	    postalCode: string;
	    city: string;
	    phone: string;
	    accessibility: string;
	
	    static createFrom(source: any = {}) {
	        return new Lieu(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.street = source["street"];
	        this.postalCode = source["postalCode"];
	        this.city = source["city"];
	        this.phone = source["phone"];
	        this.accessibility = source["accessibility"];
	    }
	}
	
	export class Organisation {
	    name: string;
	    kind: string;
	    street: string;
	    postalCode: string;
	    city: string;
	    phone: string;
	    email: string;
	    departement: string;
	    accentColor: string;
	    logoPng?: number[];
	
	    static createFrom(source: any = {}) {
	        return new Organisation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.street = source["street"];
	        this.postalCode = source["postalCode"];
	        this.city = source["city"];
	        this.phone = source["phone"];
	        this.email = source["email"];
	        this.departement = source["departement"];
	        this.accentColor = source["accentColor"];
	        this.logoPng = source["logoPng"];
	    }
	}
	export class Place {
	    departement: string;
	    timeZone: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new Place(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.departement = source["departement"];
	        this.timeZone = source["timeZone"];
	        this.note = source["note"];
	    }
	}

}

