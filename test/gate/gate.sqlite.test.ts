import { gateSuite } from "./database-suite.js";

gateSuite("sqlite");
