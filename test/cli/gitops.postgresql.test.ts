import { planAndApplySuite } from "./gitops-suite.js";

planAndApplySuite("postgresql");
