import { planAndApplySuite } from "./gitops-suite.js";

planAndApplySuite("sqlite");
