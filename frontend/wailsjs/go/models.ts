export namespace app {
	
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
	    lieuId: string;
	    lieuName: string;
	    motifId: string;
	    motifName: string;
	    color: string;
	    status: string;
	    statusLabel: string;
	    usagers: string[];
	    phone: string;
	    context: string;
	    documents: number;
	    origine: string;
	    arrivedAt: string;
	    transitions: StatusOption[];
	
	    static createFrom(source: any = {}) {
	        return new RdvView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.agentIds = source["agentIds"];
	        this.lieuId = source["lieuId"];
	        this.lieuName = source["lieuName"];
	        this.motifId = source["motifId"];
	        this.motifName = source["motifName"];
	        this.color = source["color"];
	        this.status = source["status"];
	        this.statusLabel = source["statusLabel"];
	        this.usagers = source["usagers"];
	        this.phone = source["phone"];
	        this.context = source["context"];
	        this.documents = source["documents"];
	        this.origine = source["origine"];
	        this.arrivedAt = source["arrivedAt"];
	        this.transitions = this.convertValues(source["transitions"], StatusOption);
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
	export class AgendaView {
	    rdvs: RdvView[];
	    plages: BlockView[];
	    absences: BlockView[];
	    holidays: HolidayView[];
	
	    static createFrom(source: any = {}) {
	        return new AgendaView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rdvs = this.convertValues(source["rdvs"], RdvView);
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
	export class MotifView {
	    id: string;
	    name: string;
	    color: string;
	    durationMin: number;
	
	    static createFrom(source: any = {}) {
	        return new MotifView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.color = source["color"];
	        this.durationMin = source["durationMin"];
	    }
	}
	export class OrganisationView {
	    name: string;
	    accentColor: string;
	    timeZone: string;
	
	    static createFrom(source: any = {}) {
	        return new OrganisationView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.accentColor = source["accentColor"];
	        this.timeZone = source["timeZone"];
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
	export class Startup {
	    organisation: OrganisationView;
	    today: string;
	    now: string;
	    agents: ResourceView[];
	    lieux: LieuView[];
	    motifs: MotifView[];
	
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

