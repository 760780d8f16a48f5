import { restoreSuite } from "./restore-suite.js";

restoreSuite("postgresql");
